#!/usr/bin/perl
# Imports a gzipped mboxrd into the public-inbox named "rdma" of
# $PI_CONFIG with public-inbox's own writer (PublicInbox::V2Writable,
# the code behind public-inbox-mda), in one process: the benchmarks'
# real-tool epoch, in seconds instead of an hour of public-inbox-mda.
# An optional second argument N imports the mbox N times, the copies
# after the first under new Message-IDs (<copyK.ID>), for a larger epoch.
use strict; use warnings;
use PublicInbox::Config; use PublicInbox::InboxWritable; use PublicInbox::Eml;
my $cfg = PublicInbox::Config->new;
my $ibx = $cfg->lookup_name('rdma') or die "no inbox rdma in \$PI_CONFIG\n";
$ibx = PublicInbox::InboxWritable->new($ibx);
my $im = $ibx->importer(0);
my $copies = $ARGV[1] // 1;
my ($cur, $n, $added, $copy) = (undef, 0, 0, 0);
sub flush {
	return unless defined $cur;
	$n++;
	$cur =~ s/^(Message-Id:\s*<)/$1copy$copy./im if $copy;
	$added++ if $im->add(PublicInbox::Eml->new(\$cur));
	$cur = undef;
}
for (; $copy < $copies; $copy++) { # not foreach: flush sees $copy
	open my $fh, '-|', 'zcat', $ARGV[0] or die "zcat $ARGV[0]: $!\n";
	while (my $l = <$fh>) {
		if ($l =~ /^From mboxrd\@z/) { flush(); $cur = ''; next; }
		next unless defined $cur;
		$l =~ s/^>(>*From )/$1/;
		$cur .= $l;
	}
	flush();
	close $fh;
}
$im->done;
print "read $n added $added\n";
