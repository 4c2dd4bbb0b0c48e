package mboxsrc

import (
	"io"
	"sync"
)

const (
	chunkSize   = 256 << 10
	chunksAhead = 4
)

// readahead reads from r in its own goroutine, a few chunks ahead, so
// that gzip decompression runs beside the parsing of what it produced.
// It uses chunksAhead+1 buffers of chunkSize bytes, and hands on what
// each Read gave at once, so a pipe that delivers slowly is not held up.
type readahead struct {
	chunks chan chunk
	free   chan []byte
	done   chan struct{}
	wg     sync.WaitGroup

	buf []byte // the chunk being read, to recycle once drained
	cur []byte // what is left of it
	err error
}

type chunk struct {
	b   []byte
	err error
}

func newReadahead(r io.Reader) *readahead {
	ra := &readahead{
		chunks: make(chan chunk, chunksAhead),
		free:   make(chan []byte, chunksAhead+1),
		done:   make(chan struct{}),
	}
	for range chunksAhead + 1 {
		ra.free <- make([]byte, chunkSize)
	}
	ra.wg.Add(1)
	go ra.run(r)
	return ra
}

func (ra *readahead) run(r io.Reader) {
	defer ra.wg.Done()
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		case <-ra.done:
			return
		}
		n, err := r.Read(buf)
		select {
		case ra.chunks <- chunk{buf[:n], err}:
		case <-ra.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (ra *readahead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.err != nil {
			return 0, ra.err
		}
		if ra.buf != nil {
			ra.free <- ra.buf[:cap(ra.buf)]
		}
		c := <-ra.chunks
		ra.buf, ra.cur, ra.err = c.b, c.b, c.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits for it to end, so that the
// underlying reader can be reused.
func (ra *readahead) Close() error {
	ra.Stop()
	ra.wg.Wait()
	return nil
}

// Stop tells the goroutine to end once its read in progress returns,
// which, on a pipe, may be never.
func (ra *readahead) Stop() {
	close(ra.done)
}
