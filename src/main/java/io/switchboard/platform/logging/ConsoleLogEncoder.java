package io.switchboard.platform.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.Charset;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * The console encoder of logback-spring.xml. With {@code logging.structured.format.console} set (ecs, logstash,
 * gelf) it is Spring Boot's {@link StructuredLogEncoder}: one JSON object a line, every string value masked by
 * {@link MaskingJsonMembers} (set as {@code logging.structured.json.customizer} in config/application.yaml).
 * Without it, Spring Boot's console pattern, whose message and exception conversion words are the masking ones.
 *
 * <p>Spring Boot's own {@code console-appender.xml} knows only the pattern, so including it silently ignored the
 * structured format; its {@code structured-console-appender.xml} knows only the format. This chooses at start.
 */
public class ConsoleLogEncoder extends EncoderBase<ILoggingEvent> {

    private String pattern;
    private String format;
    private Charset charset;
    private Encoder<ILoggingEvent> delegate;

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public void setCharset(Charset charset) {
        this.charset = charset;
    }

    /** True when the lines are JSON. */
    public boolean isStructured() {
        return format != null && !format.isBlank();
    }

    @Override
    public void start() {
        if (isStructured()) {
            StructuredLogEncoder structured = new StructuredLogEncoder();
            structured.setFormat(format.trim());
            structured.setCharset(charset);
            delegate = structured;
        } else {
            PatternLayoutEncoder plain = new PatternLayoutEncoder();
            plain.setPattern(pattern);
            plain.setCharset(charset);
            delegate = plain;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
