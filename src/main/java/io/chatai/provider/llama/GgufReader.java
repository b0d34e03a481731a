package io.chatai.provider.llama;

import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * GGUF's little-endian primitives over a stream, counting its position. Lengths read from the file are
 * bounded before anything is allocated, so a damaged header fails cleanly. Not thread-safe.
 */
final class GgufReader {
    private static final long MAX_STRING = 64L << 20;

    private final Path file;
    private final Counting counting;
    private final DataInputStream in;
    private final long size;

    GgufReader(Path file, InputStream stream) throws IOException {
        this.file = file;
        this.counting = new Counting(stream);
        this.in = new DataInputStream(counting);
        this.size = Files.size(file);
    }

    long position() {
        return counting.position;
    }

    int u32() throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    long u64() throws IOException {
        return Long.reverseBytes(in.readLong());
    }

    String string() throws IOException {
        return new String(in.readNBytes((int) length()), StandardCharsets.UTF_8);
    }

    /** A metadata value: strings, whole numbers (as Long) and booleans are kept; the rest is skipped (null). */
    Object value(int type) throws IOException {
        return switch (type) {
            case 0 -> (long) in.readUnsignedByte();
            case 1 -> (long) in.readByte();
            case 7 -> in.readByte() != 0;
            case 2, 3 -> skip(2);
            case 4 -> Integer.toUnsignedLong(u32());
            case 5 -> (long) u32();
            case 6 -> skip(4);
            case 8 -> string();
            case 9 -> skipArray();
            case 10, 11 -> u64();
            case 12 -> skip(8);
            default -> throw damaged("unknown value type " + type);
        };
    }

    ModelFileException damaged(String what) {
        return new ModelFileException(file + " has a damaged GGUF header (" + what + ")");
    }

    private Object skip(int bytes) throws IOException {
        in.skipNBytes(bytes);
        return null;
    }

    private Object skipArray() throws IOException {
        int type = u32();
        long count = u64();
        if (count < 0 || count > size) {
            throw damaged("an array of " + count + " items");
        }
        for (long i = 0; i < count; i++) {
            if (type == 8) {
                in.skipNBytes(length());
            } else {
                value(type);
            }
        }
        return null;
    }

    private long length() throws IOException {
        long length = u64();
        if (length < 0 || length > MAX_STRING) {
            throw damaged("a string of " + length + " bytes");
        }
        return length;
    }

    /** Counts the bytes read, so the start of the tensor data can be found. */
    private static final class Counting extends FilterInputStream {
        long position;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            position += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            position += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            position += skipped;
            return skipped;
        }
    }
}
