// Package outbox owns the life of a drafted reply after package reply
// wrote it: sending (Send), exporting to an mbox for git send-email
// (Export), dropping (Drop), resending after an interrupted run, and
// noting that the list archive shows it (MarkDelivered). The states and
// the moves between them are tracker.DraftState's, enforced by the
// store; this package is the only one that moves a draft.
//
// Sending follows an exactly-once protocol over a Store: a draft is
// marked "sending" before its SMTP transaction and "sent" after. A
// draft found "sending" (the previous run died in between) is not sent
// again unless the caller asks; it is marked "delivered" when its
// Message-ID shows up in the list archive. The conformance suite
// (suite_test.go) runs the protocol against Box, the tracker's store,
// and against an in-memory fake.
//
// SMTP submission (RFC 5321; implicit TLS per RFC 8314 or STARTTLS per
// RFC 3207), configured from git's own sendemail.* keys, is a detail
// of Send and not exported.
package outbox
