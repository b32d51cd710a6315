package io.switchboard.platform.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Checks the bytes of a JSON request body before any workflow reads them, and says what is wrong as a 400:
 * <ul>
 *   <li>a UTF-8 byte-order mark is stripped (RFC 8259 lets a parser ignore it); nothing else may precede the JSON;</li>
 *   <li>no body, or only whitespace: "a JSON body is required";</li>
 *   <li>strict UTF-8: a malformed or truncated sequence is refused with its byte offset, never replaced;</li>
 *   <li>one JSON object, parsed once with limits: nesting depth {@value #MAX_DEPTH}, numbers of at most
 *       {@value #MAX_NUMBER_LENGTH} characters, no duplicate key, no NaN or Infinity, nothing after the object;</li>
 *   <li>no string (key or value) holding U+0000 or an unpaired surrogate: neither survives storage or forwarding.</li>
 * </ul>
 * Field bounds (lengths, sizes, number ranges) are each endpoint's JSON Schema's job.
 */
@Component
public class JsonBodies {

    static final int MAX_DEPTH = 32;
    static final int MAX_NUMBER_LENGTH = 64;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The body to hand on (the same bytes, less a byte-order mark), or a {@link ProblemException} (400). */
    public byte[] check(byte[] raw) {
        int start = startsWithBom(raw) ? BOM.length : 0;
        String text = decode(raw, start);
        if (text.isBlank()) {
            throw refused("a JSON body is required", "(body)", "a JSON body is required");
        }
        parse(text);
        return start == 0 ? raw : Arrays.copyOfRange(raw, start, raw.length);
    }

    private static boolean startsWithBom(byte[] raw) {
        return raw.length >= BOM.length && raw[0] == BOM[0] && raw[1] == BOM[1] && raw[2] == BOM[2];
    }

    /** Strict UTF-8: the offset of the first malformed byte (counted from the body's first byte) is reported. */
    static String decode(byte[] raw, int start) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw, start, raw.length - start);
        CharBuffer out = CharBuffer.allocate(raw.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            String message = "not valid UTF-8: malformed byte sequence at byte offset " + offset
                    + " (0x" + String.format("%02X", raw[offset] & 0xFF) + ")";
            throw refused("The body is " + message, "(body)", message).with("offset", offset);
        }
        out.flip();
        return out.toString();
    }

    private void parse(String text) {
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw refused("The body must be a JSON object", "(body)", "must be a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
                    checkString(parser.getText(), parser.getParsingContext());
                }
                if (token == JsonToken.END_OBJECT && parser.getParsingContext().inRoot()) {
                    JsonToken after = parser.nextToken();
                    if (after != null) {
                        throw refused("The body must be one JSON object; more follows it", "(body)",
                                "more follows the JSON object");
                    }
                    return;
                }
            }
            throw refused("The body is not valid JSON: it ends inside the object", "(body)",
                    "not valid JSON: the document is truncated");
        } catch (StreamConstraintsException limit) {
            String field = field(limit.getProcessor() instanceof JsonParser p ? p.getParsingContext() : null);
            throw refused("The body is beyond a parse limit: " + limit.getOriginalMessage(), field,
                    "beyond a parse limit: " + limit.getOriginalMessage());
        } catch (JsonParseException malformed) {
            JsonStreamContext context = malformed.getProcessor() == null ? null : malformed.getProcessor().getParsingContext();
            String original = malformed.getOriginalMessage();
            if (original != null && original.startsWith("Duplicate field")) {
                throw refused("The body has a duplicate key: " + field(context), field(context), "duplicate key");
            }
            String where = malformed.getLocation() == null ? "" : " at line " + malformed.getLocation().getLineNr()
                    + ", column " + malformed.getLocation().getColumnNr();
            String first = original == null ? "" : original.lines().findFirst().orElse("");
            throw new ProblemException(400, "Malformed JSON", "The body is not valid JSON" + where + ": " + first,
                    List.of(new FieldError("(body)", "not valid JSON" + where)));
        } catch (JsonProcessingException other) {
            throw refused("The body is not valid JSON: " + other.getOriginalMessage(), "(body)", "not valid JSON");
        } catch (IOException e) {
            throw refused("The body could not be read", "(body)", "could not be read");
        }
    }

    private static void checkString(String value, JsonStreamContext context) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw refused(field(context) + ": a string may not contain U+0000 (NUL)", field(context),
                        "may not contain U+0000 (NUL)");
            }
            if (Character.isHighSurrogate(c) && (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
                throw refused(field(context) + ": a string may not contain an unpaired surrogate", field(context),
                        "may not contain an unpaired surrogate (\\u" + Integer.toHexString(c) + ")");
            }
        }
    }

    /** The JSON path of where the parser is, as the schema errors name fields: {@code smtpSettings.port}, {@code tags[0]}. */
    static String field(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String path = String.join("", parts);
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? "(body)" : path;
    }

    private static ProblemException refused(String detail, String field, String message) {
        return new ProblemException(400, "Invalid request", detail, List.of(new FieldError(field, message)));
    }
}
