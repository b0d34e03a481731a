package io.chatai.image;

import java.util.Collection;

/**
 * What an image costs in a prompt, estimated from its size the way each provider publishes it. Stateless.
 */
public final class ImageTokens {
    private ImageTokens() {
    }

    /**
     * The largest estimate among the provider types that may serve the turn: failover can move it to any of
     * them, and the context budget must hold on whichever answers. No type known: OpenAI's formula.
     */
    public static int estimate(Collection<String> providerTypes, int width, int height) {
        int most = 0;
        for (String type : providerTypes) {
            most = Math.max(most, estimate(type, width, height));
        }
        return most == 0 ? openAi(width, height) : most;
    }

    /** One provider type's estimate; types without a published formula (local models) use OpenAI's. */
    public static int estimate(String providerType, int width, int height) {
        return switch (providerType) {
            case "anthropic" -> anthropic(width, height);
            case "gemini" -> gemini(width, height);
            default -> openAi(width, height);
        };
    }

    /**
     * OpenAI's high-detail formula: fit within 2048x2048, shortest side to 768, then 170 tokens per 512-pixel
     * tile plus 85 (a 1024x1024 image: 765).
     */
    static int openAi(int width, int height) {
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

    /**
     * Anthropic's width x height / 750, after the API scales the long edge down to 1568 pixels; it also scales
     * anything above about 1,600 tokens down to that, so no image costs more (a 1000x1000 image: 1334).
     */
    static int anthropic(int width, int height) {
        double fit = Math.min(1.0, 1568.0 / Math.max(width, height));
        double tokens = Math.ceil(width * fit * (height * fit) / 750);
        return (int) Math.min(tokens, 1600);
    }

    /**
     * Gemini's: 258 tokens when both sides are at most 384 pixels, else 258 per 768x768 tile the image is
     * cropped and scaled into (a 1000x1000 image: 4 tiles, 1032).
     */
    static int gemini(int width, int height) {
        if (width <= 384 && height <= 384) {
            return 258;
        }
        return 258 * (int) (Math.ceil(width / 768.0) * Math.ceil(height / 768.0));
    }
}
