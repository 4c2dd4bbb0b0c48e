package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestArchitectureNamesEveryPackage: the README's architecture table
// names every package folder (or a "dir/..." entry covering it), and
// every folder it names exists, so that it keeps matching the tree.
func TestArchitectureNamesEveryPackage(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "## Architecture")
	end := strings.Index(text[start+1:], "\n## ")
	if start < 0 || end < 0 {
		t.Fatal("README has no Architecture section")
	}
	named := map[string]bool{}
	for _, m := range regexp.MustCompile("`([a-z][a-z0-9/]*(?:/\\.\\.\\.)?)`").FindAllStringSubmatch(text[start:start+1+end], -1) {
		named[m[1]] = true
	}
	covered := func(dir string) bool {
		for n := range named {
			if n == dir || strings.HasSuffix(n, "/...") && strings.HasPrefix(dir, strings.TrimSuffix(n, "...")) {
				return true
			}
		}
		return false
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if goFiles, _ := filepath.Glob(filepath.Join(path, "*.go")); len(goFiles) > 0 && rel != "." && !covered(filepath.ToSlash(rel)) {
			t.Errorf("README's architecture does not name package %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for n := range named {
		if !strings.Contains(n, "/") && n != "testdata" && n != "templates" && n != "mailparse" && n != "tracker" && n != "gitcheck" {
			continue // a word in backquotes, not a folder
		}
		if _, err := os.Stat(filepath.Join(root, strings.TrimSuffix(n, "/..."))); err != nil {
			t.Errorf("README's architecture names %s, which does not exist", n)
		}
	}
}
