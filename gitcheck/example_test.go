package gitcheck_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/prtrack/prtrack/gitcheck"
	"github.com/prtrack/prtrack/gitcheck/gitfixture"
	"github.com/prtrack/prtrack/mailparse"
)

// Example builds the fixture kernel, serves it with git daemon, updates
// the accepted trees and checks every sample pull request from the text
// of its mail, as the demo does.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "prtrack-demo-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	k, err := gitfixture.Build(ctx, filepath.Join(dir, "srv"))
	if err != nil {
		log.Fatal(err)
	}
	srv, err := gitfixture.Serve(k.Root)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	cfg := gitcheck.Config{Repo: filepath.Join(dir, "prtrack.git"), Hosts: []string{"127.0.0.1"}}
	for _, t := range k.Trees {
		cfg.Trees = append(cfg.Trees, gitcheck.Tree{Name: t.Name, URL: srv.RepoURL(t.Repo), Refs: t.Refs})
	}
	c, err := gitcheck.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.UpdateTrees(ctx); err != nil {
		log.Fatal(err)
	}
	for i, s := range k.Samples {
		text, err := k.RequestPull(ctx, s, srv.RepoURL(s.Repo))
		if err != nil {
			log.Fatal(err)
		}
		pr := mailparse.ExtractText(text)
		v, err := c.Check(ctx, fmt.Sprint(i+1), pr)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(v.Summary())
	}
}
