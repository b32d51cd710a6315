package io.switchboard.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.platform.net.HostLiterals;
import java.net.Inet4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Destination URIs are read strictly: every spelling of an IPv4 address is recognised as one. */
class DestinationParserTest {

    @ParameterizedTest(name = "{0} is the address {1}")
    @CsvSource({
            "https://127.0.0.1/, 127.0.0.1",
            "https://2130706433/, 127.0.0.1",
            "https://0x7f000001/, 127.0.0.1",
            "https://0X7F000001/, 127.0.0.1",
            "https://0177.0.0.1/, 127.0.0.1",
            "https://0177.0000.0000.0001/, 127.0.0.1",
            "https://127.1/, 127.0.0.1",
            "https://127.0.1/, 127.0.0.1",
            "https://0x7f.1/, 127.0.0.1",
            "https://127.0.0.1./, 127.0.0.1",
            "https://0/, 0.0.0.0",
            "https://0xa9fea9fe/, 169.254.169.254",
            "https://025177524776/, 169.254.169.254",
            "https://3232235777:8443/x, 192.168.1.1",
            "https://10.1/, 10.0.0.1"})
    void should_read_every_ipv4_spelling_as_an_address(String uri, String address) throws Exception {
        Destination destination = DestinationParser.parse("uri", uri);
        assertThat(destination.isName()).isFalse();
        assertThat(destination.literal()).isInstanceOf(Inet4Address.class);
        assertThat(destination.literal().getHostAddress()).isEqualTo(address);
        assertThat(destination.host()).isEqualTo(address);
    }

    @Test
    void should_read_ipv6_literals_and_mark_ipv4_mapped_ones() throws Exception {
        Destination loopback = DestinationParser.parse("uri", "https://[::1]:8443/health");
        assertThat(HostLiterals.text(loopback.literal())).isEqualTo("::1");
        assertThat(loopback.ipv4Mapped()).isFalse();
        assertThat(loopback.port()).isEqualTo(8443);
        assertThat(loopback.hostHeader()).isEqualTo("[::1]:8443");

        Destination mapped = DestinationParser.parse("uri", "https://[::ffff:127.0.0.1]/");
        assertThat(mapped.ipv4Mapped()).isTrue();
        assertThat(mapped.literal().getHostAddress()).isEqualTo("127.0.0.1");

        Destination mappedHex = DestinationParser.parse("uri", "https://[::ffff:7f00:1]/");
        assertThat(mappedHex.ipv4Mapped()).isTrue();
    }

    @Test
    void should_read_names_ports_and_the_health_path() throws Exception {
        Destination destination = DestinationParser.parse("uris[0]", "HTTPS://Hooks.Example.COM./events/health?probe=1#frag");
        assertThat(destination.isName()).isTrue();
        assertThat(destination.host()).isEqualTo("hooks.example.com");
        assertThat(destination.port()).isEqualTo(443);
        assertThat(destination.pathAndQuery()).isEqualTo("/events/health?probe=1");
        assertThat(destination.hostHeader()).isEqualTo("hooks.example.com");
        assertThat(destination.field()).isEqualTo("uris[0]");
        assertThat(DestinationParser.parse("uri", "https://xn--bcher-kva.example:8443").pathAndQuery()).isEqualTo("/");
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {
            "http://hooks.example.com/",
            "ftp://hooks.example.com/",
            "https:hooks.example.com",
            "https:///path-only",
            "https://user@hooks.example.com/",
            "https://user:pass@hooks.example.com/",
            "https://hooks.example.com@127.0.0.1/",
            "https://127.0.0.1:443@hooks.example.com/",
            "https://hooks.example.com:0/",
            "https://hooks.example.com:65536/",
            "https://hooks.example.com:44x/",
            "https://hooks example.com/",
            "https://hooks.exämple.com/",
            "https://hooks%2eexample.com/",
            "https://-hooks.example.com/",
            "https://hooks..example.com/",
            "https://hooks_x.example.com/",
            "https://256.0.0.1/",
            "https://1.2.3.4.5/",
            "https://0x100000000/",
            "https://09.0.0.1/",
            "https://hooks.example.1/",
            "https://[::1/",
            "https://[fe80::1%25eth0]/",
            "https://[not-ipv6]/",
            "https://::1/",
            "https://[::1]x/",
            "not a uri at all"})
    void should_refuse_what_is_not_a_usable_https_destination(String uri) {
        assertThatThrownBy(() -> DestinationParser.parse("uri", uri))
                .isInstanceOf(DestinationParser.InvalidDestination.class);
    }

    @Test
    void should_say_why_a_destination_is_refused() {
        assertThatThrownBy(() -> DestinationParser.parse("uri", "https://admin@hooks.example.com/"))
                .hasMessageContaining("user information");
        assertThatThrownBy(() -> DestinationParser.parse("uri", "http://hooks.example.com/"))
                .hasMessageContaining("HTTPS");
        assertThatThrownBy(() -> DestinationParser.parse("uri", "https://256.0.0.1/"))
                .hasMessageContaining("neither a name nor a valid IPv4 address");
    }
}
