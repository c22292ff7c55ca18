package distributed

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Security is how coordinator and executors trust each other. The same struct serves
// both sides:
//
//   - TLS: CertFile and KeyFile are this process's certificate. An executor with them
//     serves TLS; with CAFile too it requires client certificates signed by that CA
//     (mTLS). A coordinator with CAFile (or CertFile) speaks TLS, trusting CAFile's CA
//     (else the system's) and presenting its own certificate when it has one.
//   - Token: a shared secret sent by the coordinator in the "authorization" metadata
//     of every call and compared by executors in constant time. It can be combined
//     with TLS, and should be off loopback.
//   - Plaintext (no certificate) is allowed only on loopback addresses unless
//     AllowInsecure.
type Security struct {
	CertFile   string
	KeyFile    string
	CAFile     string
	ServerName string // name the coordinator expects in executor certificates (default: the address' host)
	Token      string // the shared token itself; see TokenFile
	TokenFile  string // a file holding the token (trailing whitespace ignored)
	// AllowInsecure allows plaintext between non-loopback addresses.
	AllowInsecure bool
}

// tlsOn reports whether the side speaks TLS.
func (s Security) tlsOn(server bool) bool {
	if server {
		return s.CertFile != ""
	}
	return s.CertFile != "" || s.CAFile != ""
}

// token returns the shared token, "" when there is none.
func (s Security) token() (string, error) {
	if s.TokenFile == "" {
		return s.Token, nil
	}
	b, err := os.ReadFile(s.TokenFile)
	if err != nil {
		return "", fmt.Errorf("read token: %w", err)
	}
	t := strings.TrimRight(string(b), " \t\r\n")
	if t == "" {
		return "", fmt.Errorf("read token: %s is empty", s.TokenFile)
	}
	return t, nil
}

// serverOptions returns the gRPC options of an executor listening on addr.
func (s Security) serverOptions(addr net.Addr) ([]grpc.ServerOption, error) {
	tok, err := s.token()
	if err != nil {
		return nil, err
	}
	var opts []grpc.ServerOption
	if tok != "" {
		a := tokenAuth{sum: sha256.Sum256([]byte(tok))}
		opts = append(opts, grpc.ChainStreamInterceptor(a.stream), grpc.ChainUnaryInterceptor(a.unary))
	}
	if !s.tlsOn(true) {
		if s.CAFile != "" {
			return nil, fmt.Errorf("client certificates (a CA file) need the executor's own certificate and key")
		}
		if !s.AllowInsecure && !loopbackAddr(addr.String()) {
			return nil, fmt.Errorf("plaintext on %s, not a loopback address: configure TLS (certificate, key, CA) or allow insecure connections", addr)
		}
		return opts, nil
	}
	cfg, err := s.serverTLS()
	if err != nil {
		return nil, err
	}
	return append(opts, grpc.Creds(credentials.NewTLS(cfg))), nil
}

func (s Security) serverTLS() (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(s.CertFile, s.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("load executor certificate: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if s.CAFile != "" {
		if cfg.ClientCAs, err = loadCA(s.CAFile); err != nil {
			return nil, err
		}
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// dialOptions returns the gRPC options of a coordinator calling addr.
func (s Security) dialOptions(addr string) ([]grpc.DialOption, error) {
	tok, err := s.token()
	if err != nil {
		return nil, err
	}
	var opts []grpc.DialOption
	if tok != "" {
		opts = append(opts, grpc.WithPerRPCCredentials(tokenCreds(tok)))
	}
	if !s.tlsOn(false) {
		if !s.AllowInsecure && !loopbackAddr(addr) {
			return nil, fmt.Errorf("plaintext to executor %s, not a loopback address: configure TLS (CA, certificate, key) or allow insecure connections", addr)
		}
		return append(opts, grpc.WithTransportCredentials(insecure.NewCredentials())), nil
	}
	cfg, err := s.clientTLS(addr)
	if err != nil {
		return nil, err
	}
	return append(opts, grpc.WithTransportCredentials(credentials.NewTLS(cfg))), nil
}

func (s Security) clientTLS(addr string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: s.ServerName}
	if cfg.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("executor address %q: %w", addr, err)
		}
		cfg.ServerName = host
	}
	var err error
	if s.CAFile != "" {
		if cfg.RootCAs, err = loadCA(s.CAFile); err != nil {
			return nil, err
		}
	}
	if s.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(s.CertFile, s.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("load coordinator certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

func loadCA(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("read CA: no PEM certificate in %s", path)
	}
	return pool, nil
}

// loopbackAddr reports whether a host:port is on loopback ("localhost" or a loopback
// IP; an empty host listens on every interface, so it is not).
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tokenCreds sends the shared token with every call.
type tokenCreds string

func (t tokenCreds) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(t)}, nil
}

// RequireTransportSecurity is false: plaintext is refused separately, off loopback.
func (t tokenCreds) RequireTransportSecurity() bool { return false }

// tokenAuth checks the shared token of every call.
type tokenAuth struct{ sum [sha256.Size]byte }

func (a tokenAuth) check(ctx context.Context) error {
	md, _ := metadata.FromIncomingContext(ctx)
	for _, v := range md.Get("authorization") {
		got := sha256.Sum256([]byte(strings.TrimPrefix(v, "Bearer ")))
		if subtle.ConstantTimeCompare(got[:], a.sum[:]) == 1 {
			return nil
		}
	}
	return status.Error(codes.Unauthenticated, "executor: missing or wrong token")
}

func (a tokenAuth) stream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	if err := a.check(ss.Context()); err != nil {
		return err
	}
	return h(srv, ss)
}

func (a tokenAuth) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	if err := a.check(ctx); err != nil {
		return nil, err
	}
	return h(ctx, req)
}
