package io.switchboard.platform.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A bare host as a caller writes it: every IPv4 spelling is an address, never a name the guard would look up. */
class HostTargetTest {

    private final NetworkPolicy closed = new NetworkPolicy(List.of());

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1|127.0.0.1",
            "2130706433|127.0.0.1",
            "0x7f000001|127.0.0.1",
            "0177.0.0.1|127.0.0.1",
            "127.1|127.0.0.1",
            "0x7f.1|127.0.0.1",
            "127.0.0.1.|127.0.0.1",
            "0|0.0.0.0",
            "169.254.169.254|169.254.169.254",
            "0xa9fea9fe|169.254.169.254"})
    void should_read_every_ipv4_spelling_as_the_address_it_means(String text, String address) {
        HostTarget target = HostTarget.parse(text);
        assertThat(target.isName()).isFalse();
        assertThat(HostLiterals.text(target.literal())).isEqualTo(address);
        assertThat(closed.refusalBeforeLookup(target)).isPresent();
    }

    @ParameterizedTest(name = "{0} is refused before any lookup")
    @ValueSource(strings = {"::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "::1", "[::1]", "localhost", "LOCALHOST.",
            "relay.localhost", "metadata.google.internal", "10.1.2.3", "192.168.1.1", "fd00::1"})
    void should_refuse_local_and_private_hosts_by_their_text(String text) {
        assertThat(closed.refusalBeforeLookup(HostTarget.parse(text))).isPresent();
    }

    @ParameterizedTest(name = "{0} is not a host")
    @ValueSource(strings = {"user@127.0.0.1", "user:pw@relay.example.com", "relay example.com", "relay_1.example.com",
            "256.0.0.1", "1.2.3.4.5", "fe80::1%eth0", "-relay.example.com", ""})
    void should_refuse_text_that_is_not_a_plain_host(String text) {
        assertThatThrownBy(() -> HostTarget.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} is a name")
    @ValueSource(strings = {"smtp.example.com", "SMTP.Example.COM.", "mail-1.example.co.uk", "1password.example.com"})
    void should_keep_names_as_names_to_look_up(String text) {
        HostTarget target = HostTarget.parse(text);
        assertThat(target.isName()).isTrue();
        assertThat(closed.refusalBeforeLookup(target)).isEmpty();
    }
}
