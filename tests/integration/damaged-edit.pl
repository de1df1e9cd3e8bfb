#!/usr/bin/perl
# Damage tool for tests/integration/damaged*.sh: reads and rewrites the on-disk LVM2 records
# of a PV (first metadata area, label sector) with valid checksums, so that a test can make
# metadata that is well-formed on disk but wrong in content (which dd alone cannot).
#   damaged-edit.pl text DEV [MDA_OFF]          print the committed text of the mda at MDA_OFF
#                                              (default 4096)
#   damaged-edit.pl settext DEV FILE [MDA_OFF]   replace it with FILE's bytes (+ NUL) at the same
#                                              offset, fixing the text and header checksums
#   damaged-edit.pl label-mda-size DEV SIZE      set the first mda's size in the PV header and
#                                              fix the label checksum
# Layouts: lvm2 lib/format_text/layout.h (mda_header, raw_locn, pv_header), docs/format.md.
use strict;
use warnings;

sub crc {
	my ($crc, $buf) = @_;
	for my $b (unpack('C*', $buf)) {
		$crc ^= $b;
		for (1 .. 8) {
			$crc = ($crc & 1) ? (($crc >> 1) ^ 0xEDB88320) : ($crc >> 1);
		}
	}
	return $crc & 0xffffffff;
}

sub rd {
	my ($fh, $off, $len) = @_;
	sysseek($fh, $off, 0) or die "seek $off: $!";
	my $buf = '';
	sysread($fh, $buf, $len) == $len or die "short read at $off";
	return $buf;
}

sub wr {
	my ($fh, $off, $buf) = @_;
	sysseek($fh, $off, 0) or die "seek $off: $!";
	syswrite($fh, $buf) == length($buf) or die "short write at $off";
}

my ($cmd, $dev, @rest) = @ARGV;
die "usage: $0 text|settext|label-mda-size DEV ...\n" unless $cmd && $dev;
open(my $fh, '+<:raw', $dev) or die "open $dev: $!";

if ($cmd eq 'text' || $cmd eq 'settext') {
	my $mda = ($cmd eq 'text' ? $rest[0] : $rest[1]) // 4096;
	my $h = rd($fh, $mda, 512);
	my ($off, $size) = unpack('Q<Q<', substr($h, 40, 16));
	die "mda at $mda holds no text\n" unless $off;
	if ($cmd eq 'text') {
		my $t = rd($fh, $mda + $off, $size);
		$t =~ s/\0+$//;
		print $t;
		exit 0;
	}
	open(my $in, '<:raw', $rest[0]) or die "open $rest[0]: $!";
	local $/;
	my $t = <$in> . "\0";
	close $in;
	wr($fh, $mda + $off, $t);
	substr($h, 48, 8) = pack('Q<', length($t));
	substr($h, 56, 4) = pack('V', crc(0xf597a6cf, $t));
	substr($h, 0, 4) = pack('V', crc(0xf597a6cf, substr($h, 4)));
	wr($fh, $mda, $h);
} elsif ($cmd eq 'label-mda-size') {
	my $s = rd($fh, 512, 512);
	die "no label in sector 1\n" unless substr($s, 0, 8) eq 'LABELONE';
	my $pos = 32 + 40;
	$pos += 16 while unpack('Q<', substr($s, $pos, 8)) != 0; # data areas
	$pos += 16;                                               # their terminator
	die "no mda in the PV header\n" unless unpack('Q<', substr($s, $pos, 8));
	substr($s, $pos + 8, 8) = pack('Q<', $rest[0]);
	substr($s, 16, 4) = pack('V', crc(0xf597a6cf, substr($s, 20)));
	wr($fh, 512, $s);
} else {
	die "unknown command $cmd\n";
}
close $fh or die "close: $!";
