package gitfixture

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Server serves every repository under a root over git:// on 127.0.0.1,
// running "git daemon --inetd" for each connection.
type Server struct {
	// URL is the base URL, "git://127.0.0.1:PORT/"; a repository's URL
	// is URL + its path under the root.
	URL string

	root string
	ln   net.Listener
	wg   sync.WaitGroup

	mu     sync.Mutex
	closed bool
	procs  map[*exec.Cmd]bool
}

// CheckDaemon reports whether git and git daemon are installed.
func CheckDaemon() error {
	if _, err := exec.LookPath("git"); err != nil {
		return ErrNoGit
	}
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		return fmt.Errorf("gitfixture: git --exec-path: %w", err)
	}
	if _, err := exec.LookPath(filepath.Join(strings.TrimSpace(string(out)), "git-daemon")); err != nil {
		return fmt.Errorf("gitfixture: git daemon not installed: %w", err)
	}
	return nil
}

// Serve starts serving root on an ephemeral port of 127.0.0.1.
func Serve(root string) (*Server, error) {
	if err := CheckDaemon(); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("gitfixture: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("gitfixture: listen: %w", err)
	}
	s := &Server{URL: "git://" + ln.Addr().String() + "/", root: abs, ln: ln, procs: map[*exec.Cmd]bool{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// RepoURL returns the URL of a repository under the root.
func (s *Server) RepoURL(repo string) string {
	return s.URL + repo
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go s.handle(conn.(*net.TCPConn))
	}
}

func (s *Server) handle(conn *net.TCPConn) {
	defer s.wg.Done()
	f, err := conn.File()
	conn.Close()
	if err != nil {
		return
	}
	defer f.Close()
	cmd := exec.Command("git", "daemon", "--inetd", "--export-all", "--informative-errors",
		"--base-path="+s.root, s.root)
	cmd.Env = gitEnv()
	cmd.Stdin, cmd.Stdout = f, f
	if !s.start(cmd) {
		return
	}
	cmd.Wait()
	s.mu.Lock()
	delete(s.procs, cmd)
	s.mu.Unlock()
}

// start starts and registers a daemon, unless the server is closed.
func (s *Server) start(cmd *exec.Cmd) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || cmd.Start() != nil {
		return false
	}
	s.procs[cmd] = true
	return true
}

// Close stops accepting, ends running daemons and waits for them.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.mu.Lock()
	s.closed = true
	for cmd := range s.procs {
		cmd.Process.Kill()
	}
	s.mu.Unlock()
	s.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Builder builds a fixture world of repositories under root (Build,
// BuildShared, BuildRdmaCore, ...).
type Builder func(ctx context.Context, root string) (*Kernel, error)

// Start builds a world with build under root and serves it with git
// daemon; close the server when done.
func Start(ctx context.Context, root string, build Builder) (*Kernel, *Server, error) {
	k, err := build(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	srv, err := Serve(k.Root)
	if err != nil {
		return nil, nil, err
	}
	return k, srv, nil
}
