package imapsrc

import (
	"crypto/tls"
	"log/slog"
	"time"
)

// Options tunes Open and NewWatcher. The zero value gives the defaults.
type Options struct {
	// TLSConfig is used for implicit TLS and STARTTLS (for instance
	// RootCAs holding a test certificate). ServerName defaults to the
	// URL's host.
	TLSConfig *tls.Config
	// AllowPlaintext lets an imap:// URL whose host is a loopback
	// address skip STARTTLS. Any other host always needs TLS.
	AllowPlaintext bool
	// DialTimeout bounds connecting, the TLS handshake and the
	// greeting. Default 30 s.
	DialTimeout time.Duration
	// CommandTimeout bounds each command, and each batch fetch.
	// Default 2 minutes.
	CommandTimeout time.Duration
	// FetchTimeout, if set, bounds a Source's whole run, from Open to
	// the last message.
	FetchTimeout time.Duration
	// BatchSize is the number of messages fetched at once. Default 50.
	// A batch is held in memory: at most BatchSize×MaxMessageBytes.
	BatchSize int
	// MaxMessageBytes bounds one message; a larger one yields a
	// *source.ReadError wrapping ErrTooLarge. Default 32 MiB.
	MaxMessageBytes int64
	// IdleRecheck is how often a Watcher re-checks the mailboxes
	// (new public-inbox-imapd slices, missed notices) while idling.
	// Default 10 minutes.
	IdleRecheck time.Duration
	// ReconnectMin and ReconnectMax bound the exponential backoff of a
	// Watcher reconnecting after a failure. Default 1 s and 5 minutes.
	ReconnectMin, ReconnectMax time.Duration
	// Logger receives notices (UIDVALIDITY changes, reconnections).
	// Default: none.
	Logger *slog.Logger
}

func (o *Options) withDefaults() *Options {
	var out Options
	if o != nil {
		out = *o
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&out.DialTimeout, 30*time.Second)
	def(&out.CommandTimeout, 2*time.Minute)
	def(&out.IdleRecheck, 10*time.Minute)
	def(&out.ReconnectMin, time.Second)
	def(&out.ReconnectMax, 5*time.Minute)
	if out.BatchSize <= 0 {
		out.BatchSize = 50
	}
	if out.MaxMessageBytes <= 0 {
		out.MaxMessageBytes = 32 << 20
	}
	if out.Logger == nil {
		out.Logger = slog.New(slog.DiscardHandler)
	}
	return &out
}
