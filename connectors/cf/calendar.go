package cf

import (
	"fmt"
	"strings"
)

// Calendar is a CF calendar with cftime's rules.
type Calendar uint8

// The calendars CF defines (and cftime implements).
const (
	// Standard ("standard", "gregorian", or no calendar attribute) is the mixed calendar:
	// Julian up to 1582-10-04, Gregorian from 1582-10-15; there is no year 0 (year -1 is
	// 1 BC).
	Standard Calendar = iota
	// ProlepticGregorian applies the Gregorian rules to all dates; year 0 exists.
	ProlepticGregorian
	// Julian applies the Julian rules (a leap year every 4 years) to all dates; no year 0.
	Julian
	// NoLeap ("noleap", "365_day") has no leap years.
	NoLeap
	// AllLeap ("all_leap", "366_day") has only leap years.
	AllLeap
	// Day360 ("360_day") has twelve 30-day months.
	Day360
)

// gregorianStart is the day number of 1582-10-15, the first Gregorian day of the
// Standard calendar (day numbers of the real-world calendars count from 1970-01-01
// proleptic Gregorian).
const gregorianStart = -141427

// ParseCalendar parses a calendar attribute, case-insensitively as cftime does. The empty
// string (no attribute) is Standard.
func ParseCalendar(name string) (Calendar, error) {
	switch strings.ToLower(name) {
	case "", "standard", "gregorian":
		return Standard, nil
	case "proleptic_gregorian":
		return ProlepticGregorian, nil
	case "julian":
		return Julian, nil
	case "noleap", "365_day":
		return NoLeap, nil
	case "all_leap", "366_day":
		return AllLeap, nil
	case "360_day":
		return Day360, nil
	}
	return 0, fmt.Errorf("calendar %q: unsupported", name)
}

// String returns the calendar's CF name.
func (c Calendar) String() string {
	switch c {
	case Standard:
		return "standard"
	case ProlepticGregorian:
		return "proleptic_gregorian"
	case Julian:
		return "julian"
	case NoLeap:
		return "noleap"
	case AllLeap:
		return "all_leap"
	case Day360:
		return "360_day"
	}
	return fmt.Sprintf("Calendar(%d)", uint8(c))
}

// hasYearZero reports whether the calendar counts years astronomically (cftime's
// has_year_zero defaults).
func (c Calendar) hasYearZero() bool { return c != Standard && c != Julian }

// astro turns a year of c into an astronomical year (1 BC = 0).
func (c Calendar) astro(y int64) int64 {
	if y < 0 && !c.hasYearZero() {
		return y + 1
	}
	return y
}

// fromAstro is the inverse of astro.
func (c Calendar) fromAstro(y int64) int64 {
	if y <= 0 && !c.hasYearZero() {
		return y - 1
	}
	return y
}

// isLeap reports whether year y (in c's numbering) is a leap year.
func (c Calendar) isLeap(y int64) bool {
	switch c {
	case NoLeap, Day360:
		return false
	case AllLeap:
		return true
	case Julian:
		return c.astro(y)%4 == 0
	case Standard:
		if y < 1582 {
			return c.astro(y)%4 == 0
		}
	}
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

// monthLen is the number of days of month m (1..12) of year y.
func (c Calendar) monthLen(y, m int64) int64 {
	if c == Day360 {
		return 30
	}
	if m == 2 && c.isLeap(y) {
		return 29
	}
	return int64([12]int8{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1])
}

// validDate reports whether y-m-d exists in c (cftime's assert_valid_date).
func (c Calendar) validDate(y, m, d int64) bool {
	if y == 0 && !c.hasYearZero() || m < 1 || m > 12 || d < 1 || d > c.monthLen(y, m) {
		return false
	}
	return c != Standard || y != 1582 || m != 10 || d < 5 || d > 14
}

// days is the day number of y-m-d. Out-of-range days count on linearly, so that any
// fields map to a number in the right order. For Standard, ProlepticGregorian and Julian
// day 0 is 1970-01-01 (proleptic Gregorian); the idealised calendars count from their
// own year 0.
func (c Calendar) days(y, m, d int64) int64 {
	m = min(max(m, 1), 12)
	switch c {
	case NoLeap:
		return y*365 + int64(cumDays(m, false)) + d - 1
	case AllLeap:
		return y*366 + int64(cumDays(m, true)) + d - 1
	case Day360:
		return y*360 + (m-1)*30 + d - 1
	case Julian:
		return julianDays(c.astro(y), m, d)
	case Standard:
		if y < 1582 || y == 1582 && (m < 10 || m == 10 && d < 15) {
			return julianDays(c.astro(y), m, d)
		}
	}
	return gregorianDays(y, m, d)
}

// civil is the inverse of days.
func (c Calendar) civil(n int64) (y, m, d int64) {
	switch c {
	case NoLeap, AllLeap:
		return idealCivil(n, c == AllLeap)
	case Day360:
		y = floorDiv(n, 360)
		r := n - y*360
		return y, r/30 + 1, r%30 + 1
	case Julian:
		y, m, d = julianCivil(n)
		return c.fromAstro(y), m, d
	case Standard:
		if n < gregorianStart {
			y, m, d = julianCivil(n)
			return c.fromAstro(y), m, d
		}
	}
	return gregorianCivil(n)
}

// cumDays is the number of days before month m (1..12) in a year.
func cumDays(m int64, leap bool) int {
	cum := [13]int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365}
	if leap && m > 2 {
		return cum[m-1] + 1
	}
	return cum[m-1]
}

func idealCivil(n int64, leap bool) (y, m, d int64) {
	size := int64(365)
	if leap {
		size = 366
	}
	y = floorDiv(n, size)
	doy := int(n - y*size)
	m = 1
	for m < 12 && cumDays(m+1, leap) <= doy {
		m++
	}
	return y, m, int64(doy-cumDays(m, leap)) + 1
}

// marchDay is the day of a year that starts on March 1 (H. Hinnant's civil algorithms).
func marchDay(m, d int64) int64 {
	mp := (m + 9) % 12
	return (153*mp+2)/5 + d - 1
}

func marchCivil(doy int64) (m, d int64) {
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		return mp + 3, d
	}
	return mp - 9, d
}

// gregorianDays is the day number of a proleptic Gregorian date, astronomical year.
func gregorianDays(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	doe := yoe*365 + yoe/4 - yoe/100 + marchDay(m, d)
	return era*146097 + doe - 719468
}

func gregorianCivil(n int64) (y, m, d int64) {
	n += 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	m, d = marchCivil(doe - (365*yoe + yoe/4 - yoe/100))
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// julianEpoch aligns julianDays with gregorianDays: Julian 1582-10-04 is the day before
// Gregorian 1582-10-15.
const julianEpoch = 719470

// julianDays is the day number of a Julian calendar date, astronomical year.
func julianDays(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 4)
	doe := (y-era*4)*365 + marchDay(m, d)
	return era*1461 + doe - julianEpoch
}

func julianCivil(n int64) (y, m, d int64) {
	n += julianEpoch
	era := floorDiv(n, 1461)
	doe := n - era*1461
	yoe := (doe - doe/1460) / 365
	m, d = marchCivil(doe - 365*yoe)
	y = yoe + era*4
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// DayNumber returns the day number of y-m-d on calendar c's own time line, so that the
// days between two dates of the calendar are a difference (see days).
func (c Calendar) DayNumber(y, m, d int64) int64 { return c.days(y, m, d) }

// Date returns the date of day number n of calendar c, the inverse of DayNumber.
func (c Calendar) Date(n int64) (y, m, d int64) { return c.civil(n) }
