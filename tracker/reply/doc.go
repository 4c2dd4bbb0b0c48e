// Package reply drafts prtrack's answers to pull requests on the list:
// a threaded plain-text reply (RFC 5322, with In-Reply-To and
// References as in section 3.6.4) from the checker's verdict and a
// template, with its recipients, headers and subject. It only writes
// mail; everything that happens to a draft afterwards (sending,
// exporting, dropping, seeing it delivered) belongs to package outbox.
//
// Bodies are wrapped at 72 columns, except quoted lines, commands and
// words that do not fit (URLs), which are never broken.
package reply
