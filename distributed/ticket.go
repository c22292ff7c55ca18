package distributed

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/zarrsql/zarrsql/planner"
)

// ticketVersion is the version of Ticket's JSON; an executor refuses other versions.
const ticketVersion = 1

// Ticket is what a Flight DoGet ticket carries: one fragment of one query, as JSON.
type Ticket struct {
	Version int    `json:"v"`
	Query   string `json:"query"`   // the query's id, for logs and accounting
	Attempt int    `json:"attempt"` // 0 for the first attempt of the fragment
	// AllowRemote lets an executor run a fragment whose data is in another region.
	AllowRemote bool `json:"allow_remote,omitempty"`
	// Heartbeat is how often the executor sends a metadata-only message while the
	// fragment runs (0: DefaultHeartbeat).
	Heartbeat time.Duration    `json:"heartbeat_ns,omitempty"`
	Fragment  planner.Fragment `json:"fragment"`
}

// maxTicketBytes bounds a ticket an executor decodes.
const maxTicketBytes = 1 << 20

// encode returns the ticket's bytes.
func (t Ticket) encode() ([]byte, error) {
	t.Version = ticketVersion
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("encode ticket of fragment %d of %s: %w", t.Fragment.Index, t.Fragment.Dataset, err)
	}
	return b, nil
}

// decodeTicket parses and checks a ticket's bytes.
func decodeTicket(b []byte) (Ticket, error) {
	var t Ticket
	if len(b) > maxTicketBytes {
		return t, fmt.Errorf("ticket of %d bytes, over %d", len(b), maxTicketBytes)
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return t, fmt.Errorf("decode ticket: %w", err)
	}
	if t.Version != ticketVersion {
		return t, fmt.Errorf("ticket version %d, this executor speaks %d", t.Version, ticketVersion)
	}
	if t.Fragment.URL == "" {
		return t, fmt.Errorf("ticket of query %s: fragment %d of %q has no URL", t.Query, t.Fragment.Index, t.Fragment.Dataset)
	}
	return t, nil
}

// what names the ticket's fragment in messages.
func (t Ticket) what() string {
	return fmt.Sprintf("fragment %d of %s (query %s, attempt %d)", t.Fragment.Index, t.Fragment.Dataset, t.Query, t.Attempt)
}
