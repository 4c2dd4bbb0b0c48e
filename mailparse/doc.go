// Package mailparse implements reading of Internet mail (RFC 5322, MIME
// RFC 2045-2049) as it arrives on a kernel mailing list, and the detection
// and extraction of git pull requests (the block written by
// git-request-pull(1)) from the decoded text of a message.
//
// The parsers here are pure functions over bytes: they never touch the
// network or the file system.
package mailparse
