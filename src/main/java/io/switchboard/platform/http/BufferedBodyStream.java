package io.switchboard.platform.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;

/**
 * A request body already read into memory, handed on as the request's input stream: the API door reads each body
 * once ({@link ApiRequestFilter} for its size, {@link JsonBodyFilter} to check it), and what comes after reads it again
 * from here. Synchronous reads only.
 */
final class BufferedBodyStream extends ServletInputStream {

    private final ByteArrayInputStream in;

    BufferedBodyStream(byte[] body) {
        this.in = new ByteArrayInputStream(body);
    }

    @Override
    public boolean isFinished() {
        return in.available() == 0;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException("synchronous reads only");
    }

    @Override
    public int read() {
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
    }
}
