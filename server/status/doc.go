// Package status serves zarrsql's status page: the queries running with their progress
// (chunks done of total, cells and bytes read, elapsed, estimated remaining), the
// connections as SHOW PROCESSLIST lists them, the executors and their regions, the
// array plans that finished last and, for a finished histogram query, the plot the seed
// draws (mean count per bin and latitude, log-scaled bin axis, first bin dropped) as an
// SVG heat-map.
//
// Routes, relative to where the handler is mounted:
//
//	/               the HTML page; it refreshes its live part every second
//	/plot/{n}.svg   the plot of finished plan n (Finished.Seq), a histogram plan
//	/api/status     the page's data as JSON
//
// The package reads a Source; it knows nothing of how plans run.
package status
