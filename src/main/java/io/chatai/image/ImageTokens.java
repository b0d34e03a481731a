package io.chatai.image;

/**
 * What an image costs in a prompt, estimated from its size the way the providers publish it. Stateless.
 */
public final class ImageTokens {
    private ImageTokens() {
    }

    /**
     * OpenAI's high-detail formula: fit within 2048x2048, shortest side to 768, then 170 tokens per
     * 512-pixel tile plus 85. Anthropic's width x height / 750 (after fitting 1568 a side) stays below it
     * for every size, so this bound is safe for the context budget of either.
     */
    public static int estimate(int width, int height) {
        double w = width;
        double h = height;
        double fit = Math.min(1.0, 2048.0 / Math.max(w, h));
        w *= fit;
        h *= fit;
        double shortest = Math.min(w, h);
        if (shortest > 768) {
            w *= 768 / shortest;
            h *= 768 / shortest;
        }
        int tiles = (int) (Math.ceil(w / 512) * Math.ceil(h / 512));
        return 85 + 170 * tiles;
    }
}
