package distributed

import (
	"fmt"
	"net"
	"strings"
)

// Endpoint is one executor: the region it serves and its address (host:port).
type Endpoint struct {
	Region string
	Addr   string
}

// ParseEndpoint parses REGION=ADDR, e.g. gcp:us-central1=10.0.0.7:8815.
func ParseEndpoint(s string) (Endpoint, error) {
	region, addr, ok := strings.Cut(strings.TrimSpace(s), "=")
	if !ok || region == "" || addr == "" {
		return Endpoint{}, fmt.Errorf("executor %q: want REGION=HOST:PORT", s)
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return Endpoint{}, fmt.Errorf("executor %q: %w", s, err)
	}
	return Endpoint{Region: region, Addr: addr}, nil
}

func (e Endpoint) String() string { return e.Region + "=" + e.Addr }

// Endpoints is a repeatable flag of REGION=ADDR (flag.Value).
type Endpoints []Endpoint

func (es *Endpoints) String() string {
	if es == nil {
		return ""
	}
	s := make([]string, len(*es))
	for i, e := range *es {
		s[i] = e.String()
	}
	return strings.Join(s, ",")
}

// Set adds one REGION=ADDR (or several, comma-separated).
func (es *Endpoints) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		e, err := ParseEndpoint(s)
		if err != nil {
			return err
		}
		*es = append(*es, e)
	}
	return nil
}

// ParseEndpoints parses REGION=ADDR items (configuration lists).
func ParseEndpoints(items []string) ([]Endpoint, error) {
	var es Endpoints
	for _, s := range items {
		if err := es.Set(s); err != nil {
			return nil, err
		}
	}
	return es, nil
}
