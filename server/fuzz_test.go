package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/zarrsql/zarrsql/server"
)

// FuzzWirePackets writes fuzzed bytes, after a real handshake, to a live server: as one
// framed packet (mode bit 0 clear) or raw (set). Whatever comes back is read with a short
// deadline; then the server must still answer a query through go-sql-driver.
func FuzzWirePackets(f *testing.F) {
	addr := startFuzzServer(f)
	db, err := sql.Open("mysql", "root@tcp("+addr+")/zarrsql")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = db.Close() })
	for _, seed := range wireSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		conn, err := handshake(addr)
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		sendFuzzed(conn, data)
		_ = conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var one int
		if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
			t.Fatalf("server stopped answering after %q: %v", data, err)
		}
	})
}

// wireSeeds: commands a client sends, and the known crashing packets.
func wireSeeds() [][]byte {
	return [][]byte{
		{0, 0x03, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1'}, // framed COM_QUERY
		{0, 0x0e},                   // COM_PING
		{0},                         // zero-length command
		{0, 0x1a, 1, 0, 0, 0},       // COM_STMT_RESET, unknown statement
		{0, 0x12, 4, 0, 0, 0, 0, 0}, // COM_BINLOG_DUMP, truncated
		{0, 0x1e, 1},                // COM_BINLOG_DUMP_GTID, truncated
		{0, 0x16, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '?'}, // COM_STMT_PREPARE
		{0, 0x17, 1, 0, 0, 0, 0, 1, 0, 0, 0},              // COM_STMT_EXECUTE, unknown
		{1, 0xff, 0xff, 0xff, 0, 0x03},                    // raw: a 16 MiB packet header
		{1, 5, 0, 0, 9, 0x03, 'S', 'H', 'O', 'W'},         // raw: wrong sequence number
	}
}

// sendFuzzed writes data[1:] framed or raw and drains the reply for at most 200 ms.
func sendFuzzed(conn net.Conn, data []byte) {
	if len(data) == 0 {
		return
	}
	payload := data[1:]
	if data[0]&1 == 0 {
		payload = packet(0, payload)
	}
	_ = conn.SetDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := conn.Write(payload); err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(conn, 1<<20))
}

// startFuzzServer runs a corpus server on a free loopback port until the fuzz test ends.
func startFuzzServer(f *testing.F) string {
	cfg := corpusConfig()
	cfg.Listen, cfg.HTTP, cfg.DataDir = "127.0.0.1:0", "", f.TempDir()
	s, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		f.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		f.Fatal(err)
	}
	go func() { _ = s.Serve() }()
	f.Cleanup(func() { _ = s.Close() })
	return s.Addr().String()
}

// packet frames payload as a MySQL packet with sequence number seq.
func packet(seq byte, payload []byte) []byte {
	n := len(payload)
	return append([]byte{byte(n), byte(n >> 8), byte(n >> 16), seq}, payload...)
}

// readPacket reads one MySQL packet and returns its sequence number and payload.
func readPacket(r io.Reader) (byte, []byte, error) {
	var h [4]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	p := make([]byte, int(h[0])|int(h[1])<<8|int(h[2])<<16)
	_, err := io.ReadFull(r, p)
	return h[3], p, err
}

// handshake connects as root with no password (mysql_native_password) and reads the OK.
func handshake(addr string) (net.Conn, error) {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if err := login(conn); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}

func login(conn net.Conn) error {
	if _, _, err := readPacket(conn); err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	if _, err := conn.Write(packet(1, handshakeResponse("root"))); err != nil {
		return err
	}
	seq, reply, err := readPacket(conn)
	for err == nil && len(reply) > 0 && reply[0] == 0xfe { // auth switch: empty password
		if _, err = conn.Write(packet(seq+1, nil)); err == nil {
			seq, reply, err = readPacket(conn)
		}
	}
	switch {
	case err != nil:
		return err
	case len(reply) == 0 || reply[0] != 0:
		return errors.New("login refused: " + string(reply))
	}
	return nil
}

// handshakeResponse is a HandshakeResponse41 for user with an empty auth response.
func handshakeResponse(user string) []byte {
	const caps = 1 | 0x200 | 0x8000 | 0x80000 // long password, 4.1, secure conn, plugin auth
	var b bytes.Buffer
	_ = binary.Write(&b, binary.LittleEndian, uint32(caps))
	_ = binary.Write(&b, binary.LittleEndian, uint32(1<<24))
	b.WriteByte(33) // utf8_general_ci
	b.Write(make([]byte, 23))
	b.WriteString(user + "\x00")
	b.WriteByte(0) // auth response length
	b.WriteString("mysql_native_password\x00")
	return b.Bytes()
}
