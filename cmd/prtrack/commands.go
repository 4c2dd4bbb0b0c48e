package main

// commandTable is every subcommand of prtrack, grouped as a maintainer
// meets them: the demo, the daily job and its parts, then reading and
// answering, then the tools (help lists them by name). Built in this
// one place; a command's file holds only its run function.
func commandTable() []*command {
	return []*command{
		{
			name:    "demo",
			args:    "[--keep]",
			summary: "run the whole job on a built-in example: sample list mail and driver repositories served on 127.0.0.1; no network, no setup",
			run:     runDemo,
		},
		{
			name:    "run",
			args:    "[--send [--yes]]",
			summary: "the daily job: update trees, ingest every source, settle, check what is due, draft replies, summarise",
			run:     runDaily,
		},
		{
			name:    "ingest",
			args:    "--mbox FILE | --public-inbox DIR | --imap imaps://USER@HOST/MAILBOX",
			summary: "record list mail into the database, reading only what is new since the last run",
			run:     runIngest,
		},
		{
			name:    "watch",
			args:    "--imap URL [--check]",
			summary: "stay connected to an IMAP mailbox and ingest (and with --check, check) new mail as it arrives (IDLE)",
			run:     runWatch,
		},
		{
			name:    "parse",
			args:    "[--json] [FILE...]",
			summary: "print the pull requests found in mbox, mbox.gz or .eml files (or standard input); no database",
			run:     runParse,
		},
		{
			name:    "check",
			args:    "[--json] [--update-trees] [--pending | ID...]",
			summary: "fetch pull requests and judge them against the rules; record verdicts and draft replies",
			run:     runCheck,
		},
		{
			name:    "trees",
			args:    "update",
			summary: "update the accepted trees (Linus, net, net-next, rdma, shared branches) in prtrack's repository",
			run:     runTrees,
		},
		{
			name:    "mirror",
			args:    "URL DIR",
			summary: "keep a local copy of a public-inbox archive up to date (e.g. https://lore.kernel.org/linux-rdma), epoch by epoch",
			run:     runMirror,
		},
		{
			name:    "list",
			args:    "[--window vX.Y] [--state S] [--role R] [--all] [--json]",
			summary: "list the pull requests of the next merge window, what needs attention first",
			run:     runList,
		},
		{
			name:    "show",
			args:    "[--json] [--db PATH] ID|MESSAGE-ID",
			summary: "show everything recorded about one pull request, with its replies and history",
			run:     runShow,
		},
		{
			name: "replies",
			args: "[list [--json] | show ID | export --mbox FILE [ID...] | send [--dry-run] [--yes] [--resend] [ID...] | drop ID... | drop --pr ID | --kind KIND | --all]",
			summary: "review the drafted verdict replies and post them to the list " +
				"(SMTP settings: git's sendemail.* keys)",
			run: runReplies,
		},
		{
			name:    "report",
			args:    "[--json] [--peek] [--html DIR]",
			summary: "per merge window: incoming pull requests and their readiness, our pulls to Linus; what changed since the last report",
			run:     runReport,
		},
		{
			name:    "serve",
			args:    "[--listen ADDR] [--db PATH]",
			summary: "serve the status pages, Atom feeds and JSON over HTTP, read-only (127.0.0.1:8080 unless told otherwise)",
			run:     runServe,
		},
		{
			name:    "volatile",
			args:    "[--json] [--push]",
			summary: "rebuild the volatile for-next: merge every pending accepted pull request on rdma for-next, report conflicts",
			run:     runVolatile,
		},
		{
			name:    "maintainers",
			args:    "[--file MAINTAINERS] [--sender ADDRESS] [--reviewers] PATH...",
			summary: "print the MAINTAINERS sections and people for paths, as get_maintainer.pl finds them",
			run:     runMaintainers,
		},
		{
			name:    "db",
			args:    "check | backup FILE",
			summary: "check the database with bbolt's consistency check, or copy it consistently to FILE",
			run:     runDB,
		},
		{name: "close", args: "ID --reason TEXT", summary: "close a pull request: prtrack stops checking and answering it", run: runClose},
		{name: "reopen", args: "ID", summary: "reopen a closed or superseded pull request", run: runReopen},
		{name: "role", args: "ID incoming|upstream|foreign", summary: "set a pull request's role by hand; prtrack keeps it", run: runRole},
	}
}

// lookup returns the command called name, or nil.
func lookup(name string) *command {
	for _, c := range commandTable() {
		if c.name == name {
			return c
		}
	}
	return nil
}
