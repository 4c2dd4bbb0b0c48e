// Package web implements prtrack's status pages: what is outstanding
// per merge window, a page per pull request with its verdicts and
// thread, Atom feeds (RFC 4287) of state changes and JSON in the schema
// of the commands' --json output. The same pages are served live by
// net/http (Handler) or written as static files with relative links
// (Export).
//
// Everything shown comes from untrusted mail. Pages are rendered with
// html/template's contextual escaping and never mark mail text as
// safe; only http and https links to the configured archive are made
// clickable, other URLs from mail are shown as text. The handler sends
// a Content-Security-Policy that allows no script at all, and answers
// nothing but GET and HEAD.
//
// Every page is built from one read transaction (Snapshot), so it never
// shows a half-written state while "prtrack run" writes.
package web
