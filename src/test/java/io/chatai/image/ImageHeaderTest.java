package io.chatai.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.TestImages;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageHeaderTest {

    @Test
    void should_read_format_and_size_of_real_png_jpeg_and_gif_files() {
        assertThat(ImageHeader.read(TestImages.image("png", 37, 21, 1))).contains(new ImageHeader("image/png", 37, 21));
        assertThat(ImageHeader.read(TestImages.image("jpg", 64, 48, 2))).contains(new ImageHeader("image/jpeg", 64, 48));
        assertThat(ImageHeader.read(TestImages.image("gif", 9, 13, 3))).contains(new ImageHeader("image/gif", 9, 13));
    }

    @Test
    void should_read_the_size_of_a_lossless_webp_header() {
        byte[] webp = new byte[30];
        System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, webp, 0, 4);
        System.arraycopy("WEBPVP8L".getBytes(StandardCharsets.US_ASCII), 0, webp, 8, 8);
        webp[20] = 0x2F; // signature byte, then 14 bits width-1 and 14 bits height-1
        int bits = (100 - 1) | (50 - 1) << 14;
        ByteBuffer.wrap(webp, 21, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(bits);
        assertThat(ImageHeader.read(webp)).contains(new ImageHeader("image/webp", 100, 50));
    }

    @Test
    void should_refuse_a_decompression_bomb_from_its_header_alone() {
        byte[] png = TestImages.image("png", 4, 4, 0);
        // The same few bytes now declare a 60000 x 60000 canvas (3.6 billion pixels): only the header is read.
        ByteBuffer.wrap(png, 16, 8).putInt(60_000).putInt(60_000);
        ImageHeader header = ImageHeader.read(png).orElseThrow();
        assertThat(header.refusal()).contains("60000x60000");
        ByteBuffer.wrap(png, 16, 8).putInt(8_000).putInt(8_000); // each side fine, 64 million pixels not
        assertThat(ImageHeader.read(png).orElseThrow().refusal()).contains("8000x8000");
        ByteBuffer.wrap(png, 16, 8).putInt(1_000).putInt(800);
        assertThat(ImageHeader.read(png).orElseThrow().refusal()).isNull();
    }

    @Test
    void should_not_take_text_or_truncated_images_for_images() {
        assertThat(ImageHeader.read("<html>not an image</html>".getBytes(StandardCharsets.UTF_8))).isEmpty();
        byte[] jpeg = TestImages.image("jpg", 8, 8, 0);
        assertThat(ImageHeader.read(java.util.Arrays.copyOf(jpeg, 12))).isEmpty();
        assertThat(ImageHeader.read(new byte[0])).isEmpty();
    }
}
