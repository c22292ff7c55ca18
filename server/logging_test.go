package server

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestNewLogger(t *testing.T) {
	for _, tc := range []struct {
		format, level string
		check         func(string) bool
	}{
		{"text", "info", func(s string) bool { return strings.Contains(s, "level=INFO msg=hello k=v") }},
		{"json", "debug", func(s string) bool {
			var rec map[string]any
			return json.Unmarshal([]byte(strings.Split(s, "\n")[0]), &rec) == nil && rec["msg"] == "debugging" && rec["k"] == "v"
		}},
		{"text", "WARN", func(s string) bool { return s == "" }},
	} {
		cfg := Defaults()
		cfg.LogFormat, cfg.LogLevel = tc.format, tc.level
		var buf bytes.Buffer
		log, err := NewLogger(cfg, &buf)
		if err != nil {
			t.Fatal(err)
		}
		log.Debug("debugging", "k", "v")
		log.Info("hello", "k", "v")
		if !tc.check(buf.String()) {
			t.Errorf("%s at %s logged %q", tc.format, tc.level, buf.String())
		}
	}
	bad := Defaults()
	bad.LogFormat = "logfmt"
	if _, err := NewLogger(bad, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "logfmt") {
		t.Errorf("log_format logfmt: %v", err)
	}
}
