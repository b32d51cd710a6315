package io.switchboard.platform.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IP address literals, parsed without DNS. URL hosts follow the WHATWG URL rules that browsers and
 * C resolvers ({@code inet_aton}) share: a host whose last label is a number is an IPv4 address in any of
 * its historic forms ({@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1}, {@code 127.1}), so no
 * such spelling slips past the SSRF guard as if it were a name.
 */
public final class HostLiterals {

    private HostLiterals() {
    }

    /** Does this host end in a number (decimal or 0x-hex last label), making it an IPv4 literal? */
    public static boolean endsInNumber(String host) {
        List<String> labels = labels(host);
        if (labels.isEmpty()) {
            return false;
        }
        String last = labels.get(labels.size() - 1);
        if (!last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return (last.startsWith("0x") || last.startsWith("0X"))
                && last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /**
     * The IPv4 address of a URL host that {@linkplain #endsInNumber ends in a number}: one to four parts,
     * each decimal, 0x-hex or 0-octal, the last filling the remaining bytes; null when it is not one.
     */
    public static Inet4Address parseUrlIpv4(String host) {
        List<String> labels = labels(host);
        if (labels.isEmpty() || labels.size() > 4) {
            return null;
        }
        long[] parts = new long[labels.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parseIpv4Number(labels.get(i));
            if (parts[i] < 0) {
                return null;
            }
        }
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i] > 255) {
                return null;
            }
        }
        long last = parts[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) {
            return null;
        }
        long value = last;
        for (int i = 0; i < parts.length - 1; i++) {
            value += parts[i] << (8 * (3 - i));
        }
        return (Inet4Address) byAddress(new byte[] {
                (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    /**
     * A strictly written IP literal, as in configuration: dotted-quad IPv4 (no leading zeros) or IPv6
     * (without brackets or zone). IPv4-mapped IPv6 text comes back as the IPv4 address. Null otherwise.
     */
    public static InetAddress parseIpLiteral(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            return parseIpv6(text);
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (!part.matches("0|[1-9]\\d{0,2}") || Integer.parseInt(part) > 255) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(part);
        }
        return byAddress(bytes);
    }

    /** An IPv6 literal (no brackets, no zone id); IPv4-mapped text comes back as an Inet4Address. */
    public static InetAddress parseIpv6(String text) {
        if (text.isEmpty() || text.length() > 45 || text.indexOf(':') < 0
                || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            // brackets make the JDK treat it as an IPv6 literal: parsed locally, never looked up
            return InetAddress.getByName("[" + text + "]");
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static long parseIpv4Number(String label) {
        if (label.isEmpty() || label.length() > 34) {
            return -1;
        }
        int radix = 10;
        String digits = label;
        if (label.startsWith("0x") || label.startsWith("0X")) {
            radix = 16;
            digits = label.substring(2);
            if (digits.isEmpty()) {
                return 0;
            }
        } else if (label.length() > 1 && label.charAt(0) == '0') {
            radix = 8;
            digits = label.substring(1);
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), radix);
            if (digit < 0) {
                return -1;
            }
            value = value * radix + digit;
            if (value > 0xFFFFFFFFL) {
                return Long.MAX_VALUE >> 1; // too large for any part; rejected by the range checks
            }
        }
        return value;
    }

    private static List<String> labels(String host) {
        if (host == null || host.isEmpty()) {
            return List.of();
        }
        List<String> labels = new ArrayList<>(Arrays.asList(host.split("\\.", -1)));
        if (labels.size() > 1 && labels.get(labels.size() - 1).isEmpty()) {
            labels.remove(labels.size() - 1);
        }
        return labels;
    }

    /** An address as people write it: dotted IPv4, or IPv6 compressed as RFC 5952 says ({@code ::1}). */
    public static String text(InetAddress address) {
        String full = address.getHostAddress();
        int scope = full.indexOf('%');
        if (scope >= 0) {
            full = full.substring(0, scope);
        }
        if (address instanceof Inet4Address) {
            return full;
        }
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    public static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
