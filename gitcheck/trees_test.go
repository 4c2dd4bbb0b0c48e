package gitcheck

import (
	"context"
	"net"
	"testing"
)

// TestUpdateTreesReportsFailures adds a tree nobody serves: its update
// fails alone, the other trees update, and checks still run.
func TestUpdateTreesReportsFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	e := newEnv(t, nil)
	e.cfg.Trees = append(e.cfg.Trees, Tree{Name: "gone", URL: "git://" + addr + "/gone.git", Refs: []string{"main"}})
	e.c = e.open(t)
	ups, err := e.c.UpdateTrees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ups {
		if (u.Error != "") != (u.Tree == "gone") {
			t.Errorf("update %+v", u)
		}
	}
	if v := e.check(t, e.request(t, "clean")); v.Status != Accepted {
		t.Errorf("verdict %+v", v)
	}
}

func TestUpdateTreesRefusesLocalPaths(t *testing.T) {
	e := newEnv(t, nil)
	e.cfg.Trees = append(e.cfg.Trees, Tree{Name: "local", URL: e.k.Root + "/linux.git", Refs: []string{"master"}},
		Tree{Name: "helper", URL: "ext::sh -c true", Refs: []string{"master"}})
	e.c = e.open(t)
	ups, err := e.c.UpdateTrees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ups[len(ups)-2:] {
		if u.Error == "" || u.Refs != 0 {
			t.Errorf("update %+v", u)
		}
	}
}
