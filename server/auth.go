package server

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
)

// AuthConfig secures the MySQL port: TLS (1.2 and later only) and whether plaintext
// connections are refused.
type AuthConfig struct {
	// TLSCert and TLSKey are the PEM certificate and key of the MySQL port; both set turns
	// TLS on.
	TLSCert string `yaml:"tls_cert"`
	TLSKey  string `yaml:"tls_key"`
	// RequireSecureTransport refuses plaintext connections (MySQL error 3159).
	RequireSecureTransport bool `yaml:"require_secure_transport"`
}

// registerFlags binds the authentication settings to flags.
func (a *AuthConfig) registerFlags(fs *flag.FlagSet) {
	fs.StringVar(&a.TLSCert, "tls-cert", a.TLSCert, "PEM certificate of the MySQL port (with --tls-key turns TLS on)")
	fs.StringVar(&a.TLSKey, "tls-key", a.TLSKey, "PEM key of --tls-cert")
	fs.BoolVar(&a.RequireSecureTransport, "require-secure-transport", a.RequireSecureTransport, "refuse plaintext MySQL connections")
}

// tlsConfig is the MySQL port's TLS configuration (TLS 1.2 or later); nil without a
// certificate.
func (a AuthConfig) tlsConfig() (*tls.Config, error) {
	if a.TLSCert == "" && a.TLSKey == "" {
		if a.RequireSecureTransport {
			return nil, errors.New("require_secure_transport needs tls_cert and tls_key")
		}
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(a.TLSCert, a.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("mysql tls certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
