// Package sourcetest implements helpers for the tests of prtrack's mail
// sources: reading the real corpus (mboxrd), building public-inbox
// epochs with git fast-import, and driving the real public-inbox tools.
package sourcetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// RequireServersEnv names the environment variable that turns a missing
// external program from a skip into a failure (CI sets it to 1).
const RequireServersEnv = "PRTRACK_REQUIRE_SERVERS"

// NeedProgram returns the path of program, skipping the test when it is
// absent, or failing it when PRTRACK_REQUIRE_SERVERS=1.
func NeedProgram(tb testing.TB, program string) string {
	tb.Helper()
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	if os.Getenv(RequireServersEnv) == "1" {
		tb.Fatalf("%s is required (%s=1) but absent: %v", program, RequireServersEnv, err)
	}
	tb.Skipf("%s not installed (apt-get install the package providing it): %v", program, err)
	return ""
}

// CorpusFile returns the path of a file of the shared corpus
// (../shared/corpus next to the project), skipping the test when it is
// absent.
func CorpusFile(tb testing.TB, name string) string {
	tb.Helper()
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		tb.Skip("corpus: cannot locate the source tree")
	}
	// self is <root>/mailparse/source/sourcetest/sourcetest.go.
	root := filepath.Join(filepath.Dir(self), "..", "..", "..")
	path := filepath.Join(root, "..", "shared", "corpus", name)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("corpus file absent, skipping: %v", err)
	}
	return path
}
