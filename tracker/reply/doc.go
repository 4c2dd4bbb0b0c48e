// Package reply implements prtrack's answers to pull requests on the
// list: drafting a threaded plain-text reply (RFC 5322, with
// In-Reply-To and References as in section 3.6.4) from the checker's
// verdict and a template, exporting drafts as an mboxrd, and sending
// them by SMTP submission (RFC 5321; implicit TLS per RFC 8314 or
// STARTTLS per RFC 3207) configured from git's own sendemail.* keys.
//
// Sending follows an exactly-once protocol over an Outbox that the
// store implements: a draft is marked "sending" before its SMTP
// transaction and "sent" after. A draft found "sending" (the previous
// run died in between) is not sent again unless the caller asks; it is
// marked "delivered" when its Message-ID shows up in the list archive.
//
// Bodies are wrapped at 72 columns, except quoted lines, commands and
// words that do not fit (URLs), which are never broken.
package reply
