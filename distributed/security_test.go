package distributed

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zarrsql/zarrsql/planner"
)

// pki is a CA and certificates it signed, as PEM files.
type pki struct {
	dir    string
	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	caFile string
}

func newPKI(t *testing.T, name string) *pki {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p := &pki{dir: t.TempDir(), ca: ca, caKey: key}
	p.caFile = p.write(t, name+"-ca.pem", "CERTIFICATE", der)
	return p
}

func (p *pki) write(t *testing.T, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// issue returns the certificate and key files of a leaf for 127.0.0.1 and localhost.
func (p *pki) issue(t *testing.T, name string, usage x509.ExtKeyUsage) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &k.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return p.write(t, name+".pem", "CERTIFICATE", der), p.write(t, name+"-key.pem", "EC PRIVATE KEY", kder)
}

// TestMutualTLS: an executor that requires client certificates serves a coordinator
// with one from its CA, and refuses one without, one from another CA, and plaintext.
func TestMutualTLS(t *testing.T) {
	ca, other := newPKI(t, "zarrsql"), newPKI(t, "other")
	srvCert, srvKey := ca.issue(t, "executor", x509.ExtKeyUsageServerAuth)
	cliCert, cliKey := ca.issue(t, "coordinator", x509.ExtKeyUsageClientAuth)
	badCert, badKey := other.issue(t, "intruder", x509.ExtKeyUsageClientAuth)
	x := startExecutor(t, gcp, func(o *ExecutorOptions) {
		o.Security = Security{CertFile: srvCert, KeyFile: srvKey, CAFile: ca.caFile}
	})
	ok := newPool(t, PoolOptions{Security: Security{CertFile: cliCert, KeyFile: cliKey, CAFile: ca.caFile}}, x)
	if err := ok.Check(context.Background()); err != nil {
		t.Fatalf("mTLS: %v", err)
	}
	want := reference(t)
	ds := seedDatasets(t)
	ds[1].Region = gcp // both on the one executor
	got := runSeeds(t, newEngine(t, ds, planner.Options{Runner: ok, FragmentChunks: 1}), nil)
	sameRows(t, "era5 over mTLS", got.era5, want.era5)
	sameRows(t, "lens over mTLS", got.lens, want.lens)
	refused := map[string]Security{
		"no client certificate":        {CAFile: ca.caFile},
		"a certificate of another CA":  {CertFile: badCert, KeyFile: badKey, CAFile: ca.caFile},
		"plaintext":                    {},
		"an executor not trusted (CA)": {CertFile: cliCert, KeyFile: cliKey, CAFile: other.caFile},
	}
	for name, sec := range refused {
		p := newPool(t, PoolOptions{Security: sec, Retries: -1}, x)
		if err := p.Check(context.Background()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestToken: an executor with a shared token refuses calls without it or with
// another, alone or over mTLS.
func TestToken(t *testing.T) {
	tokFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	x := startExecutor(t, gcp, func(o *ExecutorOptions) { o.Security = Security{TokenFile: tokFile} })
	for _, c := range []struct {
		token string
		ok    bool
	}{{"s3cret", true}, {"s3cret2", false}, {"", false}, {"s3cre", false}} {
		p := newPool(t, PoolOptions{Security: Security{Token: c.token}}, x)
		err := p.Check(context.Background())
		if c.ok != (err == nil) || err != nil && !strings.Contains(err.Error(), "Unauthenticated") {
			t.Errorf("token %q: %v", c.token, err)
		}
	}
	ca := newPKI(t, "zarrsql")
	srvCert, srvKey := ca.issue(t, "executor", x509.ExtKeyUsageServerAuth)
	cliCert, cliKey := ca.issue(t, "coordinator", x509.ExtKeyUsageClientAuth)
	both := startExecutor(t, aws, func(o *ExecutorOptions) {
		o.Security = Security{CertFile: srvCert, KeyFile: srvKey, CAFile: ca.caFile, Token: "t"}
	})
	p := newPool(t, PoolOptions{Security: Security{CertFile: cliCert, KeyFile: cliKey, CAFile: ca.caFile, Token: "t"}}, both)
	if err := p.Check(context.Background()); err != nil {
		t.Errorf("mTLS and token: %v", err)
	}
}

// TestPlaintextOnlyOnLoopback: without TLS, executors listen and coordinators dial
// only on loopback unless insecure connections are allowed.
func TestPlaintextOnlyOnLoopback(t *testing.T) {
	listen := []struct {
		addr net.Addr
		ok   bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}, true},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 1}, true},
		{&net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 1}, false},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 1}, false},
	}
	for _, c := range listen {
		if _, err := (Security{}).serverOptions(c.addr); c.ok != (err == nil) {
			t.Errorf("listen on %s: %v", c.addr, err)
		}
		if _, err := (Security{AllowInsecure: true}).serverOptions(c.addr); err != nil {
			t.Errorf("listen on %s, insecure allowed: %v", c.addr, err)
		}
	}
	dial := map[string]bool{"127.0.0.1:1": true, "localhost:1": true, "[::1]:1": true, "10.0.0.1:1": false, "executor.gcp:8815": false}
	for addr, ok := range dial {
		if _, err := (Security{}).dialOptions(addr); ok != (err == nil) {
			t.Errorf("dial %s: %v", addr, err)
		}
	}
	if _, err := NewPool(PoolOptions{Executors: []Endpoint{{gcp, "10.1.2.3:8815"}}}); err == nil || !strings.Contains(err.Error(), "plaintext") {
		t.Errorf("a pool dialing plaintext off loopback: %v", err)
	}
	if _, err := (Security{CAFile: "ca.pem"}).serverOptions(listen[0].addr); err == nil {
		t.Errorf("an executor with a CA but no certificate was accepted")
	}
}
