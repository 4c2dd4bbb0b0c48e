package gitcheck

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
)

// A reader of git's commit-graph (Documentation/gitformat-commit-graph),
// a single file or a split chain, mapped into memory, for the one
// question asked of a million commits at a time: the parents of a
// commit. go-git's reader answers it with several small file reads and
// allocations per commit (about 8 seconds over a million commits); this
// one with a binary search in the mapped lookup table.

type cgLayer struct {
	base   uint32 // commits in the layers below
	n      uint32
	fanout []byte
	oids   []byte // mapped, for walks by position
	cdat   []byte
	edges  []byte
	unmap  func()
	file   *os.File // read, for lookups by hash (see searchRecords)
	oidOff int64
}

type cgraph struct {
	layers []*cgLayer // base first
}

const (
	cgNoParent  = 0x70000000
	cgExtraEdge = 0x80000000
	cgDataSize  = 36
)

// openCGraph maps the commit-graph of objects; nil when there is none
// or it is not one this reader knows.
func openCGraph(objects string) *cgraph {
	info := filepath.Join(objects, "info")
	var files []string
	if f, err := os.Open(filepath.Join(info, "commit-graphs", "commit-graph-chain")); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if line := sc.Text(); len(line) == 40 {
				files = append(files, filepath.Join(info, "commit-graphs", "graph-"+line+".graph"))
			}
		}
		f.Close()
	} else {
		files = []string{filepath.Join(info, "commit-graph")}
	}
	g := &cgraph{}
	var base uint32
	for _, name := range files {
		l, err := openCGLayer(name, base)
		if err != nil {
			g.close()
			return nil
		}
		g.layers = append(g.layers, l)
		base += l.n
	}
	if len(g.layers) == 0 {
		return nil
	}
	return g
}

func openCGLayer(name string, base uint32) (*cgLayer, error) {
	b, unmap, err := mapFile(name)
	if err != nil {
		return nil, err
	}
	l, err := parseCGLayer(b, base)
	if err != nil {
		unmap()
		return nil, err
	}
	f, err := os.Open(name)
	if err != nil {
		unmap()
		return nil, err
	}
	l.file, l.oidOff = f, int64(cap(b)-cap(l.oids))
	l.fanout = bytes.Clone(l.fanout)
	l.unmap = func() { f.Close(); unmap() }
	return l, nil
}

var errBadGraph = errors.New("gitcheck: malformed commit-graph")

func parseCGLayer(b []byte, base uint32) (*cgLayer, error) {
	if len(b) < 8 || string(b[:4]) != "CGPH" || b[4] != 1 || b[5] != 1 {
		return nil, errBadGraph
	}
	chunks := int(b[6])
	if len(b) < 8+(chunks+1)*12 {
		return nil, errBadGraph
	}
	l := &cgLayer{base: base}
	for i := range chunks {
		e := b[8+i*12:]
		start, end := binary.BigEndian.Uint64(e[4:]), binary.BigEndian.Uint64(e[16:])
		if start > end || end > uint64(len(b)) {
			return nil, errBadGraph
		}
		data := b[start:end]
		switch string(e[:4]) {
		case "OIDF":
			l.fanout = data
		case "OIDL":
			l.oids = data
		case "CDAT":
			l.cdat = data
		case "EDGE":
			l.edges = data
		}
	}
	if len(l.fanout) != 1024 {
		return nil, errBadGraph
	}
	l.n = binary.BigEndian.Uint32(l.fanout[1020:])
	if uint64(len(l.oids)) != uint64(l.n)*20 || uint64(len(l.cdat)) != uint64(l.n)*cgDataSize {
		return nil, errBadGraph
	}
	return l, nil
}

func (g *cgraph) close() {
	for _, l := range g.layers {
		l.unmap()
	}
	g.layers = nil
}

// lookup returns h's position in the whole chain.
func (g *cgraph) lookup(h plumbing.Hash) (uint32, bool) {
	for _, l := range g.layers {
		lo := uint32(0)
		if h[0] > 0 {
			lo = binary.BigEndian.Uint32(l.fanout[(int(h[0])-1)*4:])
		}
		hi := binary.BigEndian.Uint32(l.fanout[int(h[0])*4:])
		if i, ok := searchRecords(l.file, l.oidOff, int(lo), int(hi), 20, h[:]); ok {
			return l.base + uint32(i), true
		}
	}
	return 0, false
}

func (g *cgraph) layer(pos uint32) *cgLayer {
	for _, l := range g.layers {
		if pos >= l.base && pos < l.base+l.n {
			return l
		}
	}
	return nil
}

func (g *cgraph) hash(pos uint32) (plumbing.Hash, bool) {
	var h plumbing.Hash
	l := g.layer(pos)
	if l == nil {
		return h, false
	}
	i := pos - l.base
	copy(h[:], l.oids[i*20:])
	return h, true
}

// size is the number of commits in the chain.
func (g *cgraph) size() int {
	l := g.layers[len(g.layers)-1]
	return int(l.base + l.n)
}

// parentPos appends the positions of pos's parents to ps; false when
// the graph is inconsistent.
func (g *cgraph) parentPos(pos uint32, ps []uint32) ([]uint32, bool) {
	l := g.layer(pos)
	if l == nil {
		return ps, false
	}
	d := l.cdat[(pos-l.base)*cgDataSize+20:]
	p1, p2 := binary.BigEndian.Uint32(d), binary.BigEndian.Uint32(d[4:])
	total := l.base + l.n
	if p1 != cgNoParent {
		ps = append(ps, p1)
	}
	switch {
	case p2 == cgNoParent:
	case p2&cgExtraEdge == 0:
		ps = append(ps, p2)
	default:
		for i := p2 &^ cgExtraEdge; ; i++ {
			if int(i)*4+4 > len(l.edges) {
				return ps, false
			}
			e := binary.BigEndian.Uint32(l.edges[i*4:])
			ps = append(ps, e&^cgExtraEdge)
			if e&cgExtraEdge != 0 {
				break
			}
		}
	}
	for _, p := range ps {
		if p >= total { // parents are in this layer or below
			return ps, false
		}
	}
	return ps, true
}

// parents returns the parents of h, and false when h is not in the
// graph or the graph is inconsistent (the caller asks the objects).
func (g *cgraph) parents(h plumbing.Hash) ([]plumbing.Hash, bool) {
	pos, ok := g.lookup(h)
	if !ok {
		return nil, false
	}
	ps, ok := g.parentPos(pos, nil)
	if !ok {
		return nil, false
	}
	out := make([]plumbing.Hash, len(ps))
	for i, p := range ps {
		if out[i], ok = g.hash(p); !ok {
			return nil, false
		}
	}
	return out, true
}
