package publicinbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/prtrack/prtrack/gitcheck/gitcli"
)

// errMissing is wrapped when git cat-file reports an object missing.
var errMissing = errors.New("object missing")

// catFile is one git cat-file --batch on a repository: the
// requests are written by one goroutine, the answers read in the same
// order by another.
type catFile struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	pipe   *os.File // the read end of git's standard output
	stderr *tailBuffer
	dir    string
	once   sync.Once
	err    error // of wait
}

// startCatFile starts git cat-file --batch on dir. With buffer, git
// buffers its answers (--buffer) until its input ends: only for a
// reader whose requests are all written at once.
func startCatFile(ctx context.Context, git, dir string, buffer bool) (*catFile, error) {
	args := []string{"cat-file", "--batch"}
	if buffer {
		args = append(args, "--buffer")
	}
	cmd := gitCommand(ctx, git, dir, args...)
	c := &catFile{cmd: cmd, stderr: &tailBuffer{}, dir: dir}
	cmd.Stderr = c.stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	growPipe(w)
	cmd.Stdout = w
	err = cmd.Start()
	w.Close()
	if err != nil {
		out.Close()
		return nil, fmt.Errorf("starting git cat-file: %w", err)
	}
	c.in, c.out, c.pipe = in, bufio.NewReaderSize(out, 1<<20), out
	return c, nil
}

// object reads the next answer (gitcli.ReadBatch), which must be about
// h: its type and, when it has at most max bytes, its content. A larger
// object is skipped and reported with ErrTooLarge.
func (c *catFile) object(h plumbing.Hash, max int64) (typ string, data []byte, err error) {
	b, err := gitcli.ReadBatch(c.out, max)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "", nil, c.broken(h, io.ErrUnexpectedEOF)
	case err != nil:
		return "", nil, fmt.Errorf("git %v, for object %s", err, h)
	case b.Missing:
		if why := c.whyMissing(h); why != "" { // a corrupt object is "missing" too
			return "", nil, fmt.Errorf("%w: %s (git: %s)", errMissing, h, why)
		}
		return "", nil, fmt.Errorf("%w: %s", errMissing, h)
	case b.ID != h.String():
		return "", nil, fmt.Errorf("git cat-file answered about %s for object %s", b.ID, h)
	case b.Data == nil && b.Size > max:
		return b.Type, nil, fmt.Errorf("%w: blob %s has %d bytes, limit %d", ErrTooLarge, h, b.Size, max)
	}
	return b.Type, b.Data, nil
}

// whyMissing asks git again, on its own, for an object cat-file --batch
// said was missing, and returns what git says is wrong with it.
func (c *catFile) whyMissing(h plumbing.Hash) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := gitCommand(ctx, c.cmd.Path, c.dir, "cat-file", "-p", h.String())
	stderr := &tailBuffer{}
	cmd.Stderr = stderr
	cmd.Run()
	return stderr.String()
}

// broken explains an answer cut short: git's own message, if any.
func (c *catFile) broken(h plumbing.Hash, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	msg := c.stderr.String()
	if msg == "" {
		return fmt.Errorf("git cat-file ended while reading object %s: %w", h, err)
	}
	return fmt.Errorf("git cat-file ended while reading object %s: %w: %s", h, err, msg)
}

// wait closes the requests and waits for git to exit, once.
func (c *catFile) wait() error {
	c.once.Do(func() {
		c.in.Close()
		err := c.cmd.Wait()
		c.pipe.Close()
		if err != nil {
			c.err = fmt.Errorf("git cat-file: %w", err)
			if msg := c.stderr.String(); msg != "" {
				c.err = fmt.Errorf("git cat-file: %w: %s", err, msg)
			}
		}
	})
	return c.err
}
