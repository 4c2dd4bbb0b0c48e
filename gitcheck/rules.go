package gitcheck

import (
	"fmt"
	"strings"
)

// scope is the per-driver directory pattern, split around <driver>.
type scope struct {
	prefix, suffix string
}

func newScope(pattern string) scope {
	p, s, _ := strings.Cut(pattern, "<driver>")
	return scope{prefix: p, suffix: s}
}

// driver returns the driver whose directory holds path, if any.
func (s scope) driver(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, s.prefix)
	if !ok {
		return "", false
	}
	end := strings.IndexByte(rest, '/')
	if s.suffix != "" && s.suffix != "/" {
		end = strings.Index(rest, s.suffix)
	}
	if end <= 0 {
		return "", false
	}
	return rest[:end], true
}

func (s scope) dir(driver string) string {
	return s.prefix + driver + s.suffix
}

func commitFinding(code Code, cm Commit, paths []string, msg string) Finding {
	return Finding{Code: code, Severity: Error, Commit: shortSHA(cm.SHA), Subject: cm.Subject,
		Paths: paths, Message: msg}
}

// listPaths names up to three paths.
func listPaths(paths []string) string {
	if len(paths) <= 3 {
		return strings.Join(paths, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(paths[:3], ", "), len(paths)-3)
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
