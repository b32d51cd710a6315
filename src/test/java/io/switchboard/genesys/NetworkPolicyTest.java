package io.switchboard.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.platform.net.Cidr;
import io.switchboard.platform.net.HostLiterals;
import io.switchboard.platform.net.NetworkPolicy;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF guard's ranges, the allowed networks that lift them, and names that are never public. */
class NetworkPolicyTest {

    private final NetworkPolicy closed = new NetworkPolicy(List.of());

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', value = {
            "https://127.0.0.1/|loopback",
            "https://127.255.255.254/|loopback",
            "https://10.0.0.1/|private (RFC 1918)",
            "https://172.16.0.1/|private (RFC 1918)",
            "https://172.31.255.255/|private (RFC 1918)",
            "https://192.168.0.10/|private (RFC 1918)",
            "https://169.254.169.254/|cloud metadata",
            "https://169.254.10.1/|link-local",
            "https://100.64.0.1/|CGNAT",
            "https://100.127.255.254/|CGNAT",
            "https://100.100.100.200/|cloud metadata",
            "https://0.0.0.0/|unspecified",
            "https://224.0.0.1/|multicast",
            "https://239.255.255.250/|multicast",
            "https://255.255.255.255/|reserved",
            "https://[::1]/|loopback",
            "https://[::]/|unspecified",
            "https://[fd00:ec2::254]/|cloud metadata",
            "https://[fd12:3456::1]/|unique local",
            "https://[fc00::1]/|unique local",
            "https://[fe80::1]/|link-local",
            "https://[ff02::1]/|multicast",
            "https://[::ffff:127.0.0.1]/|IPv4-mapped",
            "https://[::ffff:8.8.8.8]/|IPv4-mapped",
            "https://[::127.0.0.1]/|IPv4-compatible",
            "https://[64:ff9b::a00:1]/|private (RFC 1918) (embedded",
            "https://[2002:7f00:1::1]/|loopback (embedded"})
    void should_refuse_every_non_public_address(String uri, String reason) throws Exception {
        Destination destination = DestinationParser.parse("uri", uri);
        assertThat(closed.refusalBeforeLookup(destination)).hasValueSatisfying(text -> assertThat(text).contains(reason));
    }

    @ParameterizedTest(name = "{0} may be checked")
    @ValueSource(strings = {"https://93.184.215.14/", "https://8.8.8.8/", "https://172.32.0.1/", "https://100.128.0.1/",
            "https://[2606:4700::1111]/", "https://[64:ff9b::808:808]/"})
    void should_admit_public_addresses(String uri) throws Exception {
        assertThat(closed.refusalBeforeLookup(DestinationParser.parse("uri", uri))).isEmpty();
    }

    @Test
    void should_refuse_a_name_when_any_of_its_addresses_is_not_public() throws Exception {
        Destination destination = DestinationParser.parse("uri", "https://hooks.example.com/");
        assertThat(closed.refusalBeforeLookup(destination)).isEmpty();
        List<InetAddress> answers = List.of(InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.1.2.3"));
        assertThat(closed.refusal(destination, answers))
                .hasValue("hooks.example.com resolves to 10.1.2.3, which is private (RFC 1918)");
        assertThat(closed.refusal(destination, List.of(InetAddress.getByName("93.184.215.14")))).isEmpty();
    }

    @Test
    void should_refuse_local_names_before_looking_them_up() throws Exception {
        for (String uri : List.of("https://localhost/", "https://LOCALHOST./", "https://api.localhost/",
                "https://metadata.google.internal/", "https://printer.local/")) {
            assertThat(closed.refusalBeforeLookup(DestinationParser.parse("uri", uri))).as(uri).isPresent();
        }
    }

    @Test
    void should_let_allowed_networks_lift_the_guard_for_their_addresses_only() throws Exception {
        NetworkPolicy open = new NetworkPolicy(Cidr.parseList("127.0.0.0/8, fd00::/8"));
        assertThat(open.refusalBeforeLookup(DestinationParser.parse("uri", "https://127.0.0.1:8443/"))).isEmpty();
        assertThat(open.refusalBeforeLookup(DestinationParser.parse("uri", "https://2130706433/"))).isEmpty();
        assertThat(open.refusalBeforeLookup(DestinationParser.parse("uri", "https://[fd00:ec2::254]/"))).isEmpty();
        assertThat(open.refusalBeforeLookup(DestinationParser.parse("uri", "https://[::ffff:127.0.0.1]/"))).isEmpty();
        assertThat(open.refusalBeforeLookup(DestinationParser.parse("uri", "https://10.0.0.1/"))).isPresent();
        assertThat(open.refusalBeforeLookup(DestinationParser.parse("uri", "https://[::1]/"))).isPresent();

        Destination localhost = DestinationParser.parse("uri", "https://localhost/");
        assertThat(open.refusalBeforeLookup(localhost)).isEmpty();
        assertThat(open.refusal(localhost, List.of(InetAddress.getByName("127.0.0.1")))).isEmpty();
        assertThat(open.refusal(localhost, List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))))
                .hasValueSatisfying(reason -> assertThat(reason).contains("::1").contains("loopback"));
    }

    @Test
    void should_parse_cidr_lists_and_name_a_malformed_entry() throws Exception {
        List<Cidr> networks = Cidr.parseList("127.0.0.0/8,10.1.2.3, ::1/128 ,2001:db8::/32");
        assertThat(networks).extracting(Cidr::prefixLength).containsExactly(8, 32, 128, 32);
        assertThat(networks.get(0).contains(InetAddress.getByName("127.200.1.1"))).isTrue();
        assertThat(networks.get(0).contains(InetAddress.getByName("128.0.0.1"))).isFalse();
        assertThat(networks.get(3).contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(networks.get(3).contains(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(Cidr.parseList(" ")).isEmpty();
        for (String bad : List.of("127.0.0.0/33", "localhost/8", "0177.0.0.1/8", "10.0.0.0/x", "::1/129", "1.2.3/8")) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void should_write_addresses_as_people_do() throws Exception {
        assertThat(HostLiterals.text(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(HostLiterals.text(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(HostLiterals.text(InetAddress.getByName("fd00:ec2:0:0:0:0:0:254"))).isEqualTo("fd00:ec2::254");
        assertThat(HostLiterals.text(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(HostLiterals.text(InetAddress.getByName("fe80:0:0:0:0:0:0:0"))).isEqualTo("fe80::");
        assertThat(HostLiterals.text(InetAddress.getByName("2001:db8:1:2:3:4:5:6"))).isEqualTo("2001:db8:1:2:3:4:5:6");
    }
}
