package server

import (
	"fmt"
	"io"
	"log/slog"
)

// NewLogger returns the structured logger cfg asks for (LogFormat, LogLevel), writing to w.
func NewLogger(cfg Config, w io.Writer) (*slog.Logger, error) {
	if err := cfg.checkLogging(); err != nil {
		return nil, err
	}
	level, _ := parseLevel(cfg.LogLevel)
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

// checkLogging checks LogFormat and LogLevel.
func (c Config) checkLogging() error {
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("config: log_format %q: want text or json", c.LogFormat)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return fmt.Errorf("config: log_level %q: want debug, info, warn or error", c.LogLevel)
	}
	return nil
}

// parseLevel reads a level as slog names it ("info", "WARN", also "info+2").
func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(s))
	return l, err
}
