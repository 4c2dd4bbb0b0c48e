// Package maintainers implements the kernel's MAINTAINERS file: a parser
// for its sections and fields, and a matcher that finds the sections
// covering a path the way scripts/get_maintainer.pl does.
//
// A section is a name line followed by one-letter fields ("M:",
// "R:", "L:", "S:", "T:", "F:", "X:", "N:", "K:", ...); blank lines,
// comments and the indented prose at the top of the file are skipped,
// as get_maintainer.pl skips them.
//
// Matching follows get_maintainer.pl: an F: or X: pattern is turned into
// a regular expression anchored at the start of the path ("." is
// literal, "*" becomes ".*" and "?" becomes "."; other characters keep
// their regular-expression meaning). A pattern ending in "/" covers the
// directory recursively; any other pattern matches only paths with as
// many slashes as itself, so "dir/*" covers the files directly in dir
// and a file name covers that file. A pattern naming a directory without
// the trailing "/" is treated as a directory only after [File.MarkDirs]
// says which names are directories (get_maintainer.pl asks the work
// tree). A section with an X: pattern matching the path does not cover
// it. N: is an unanchored regular expression in Perl's /x syntax; one
// that Go's RE2 cannot compile (a lookaround) is kept in
// Section.Unsupported and never matches. K:
// patterns match patch content, not paths: they are kept but never
// matched. Sections are ranked most specific first, by the depth of the
// matching pattern, as get_maintainer.pl ranks them.
package maintainers
