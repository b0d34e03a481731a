package io.chatai.image;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which resolved addresses the server may fetch an image from: public unicast only, unless the operator
 * allows private networks. Checked on the address actually connected to, after DNS, on every redirect
 * hop, so neither a redirect nor a DNS name pointing inside the network reaches an internal service or
 * a cloud metadata endpoint. Immutable.
 */
record AddressPolicy(boolean allowPrivate) {

    /** Why this address is refused, or null when it may be fetched. */
    String refusal(InetAddress address) {
        if (allowPrivate) {
            return null;
        }
        InetAddress a = unmapped(address);
        if (a.isAnyLocalAddress() || a.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local address (cloud metadata lives there)";
        }
        if (a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return a.isMulticastAddress() ? "a multicast address" : "a private address";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            if (first == 0 || first >= 240 || first == 100 && second >= 64 && second < 128
                    || first == 198 && (second == 18 || second == 19) || first == 192 && second == 0 && (b[2] & 0xFF) == 0) {
                return "a reserved or private address"; // this network, shared CGNAT, benchmarking, IETF, 240/4
            }
        } else if (a instanceof Inet6Address && ((b[0] & 0xFE) == 0xFC)) {
            return "a private address"; // unique local fc00::/7 (AWS's IPv6 metadata fd00:ec2::254 among them)
        }
        return null;
    }

    /** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
    private static InetAddress unmapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
                } catch (java.net.UnknownHostException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        }
        return address;
    }
}
