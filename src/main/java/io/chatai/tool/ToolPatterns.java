package io.chatai.tool;

import io.chatai.core.ApiException;
import java.util.List;

/**
 * Which tools a preset (or a request narrowing it) offers: each pattern is an exact name
 * ({@code search.web_search}) or all tools of one server ({@code weather.*}). A tool is offered when any pattern
 * matches it; an empty list matches nothing. Immutable.
 */
public final class ToolPatterns {
    /** More than any preset needs; a list is sent with every turn. */
    public static final int MAX_PATTERNS = 256;
    public static final ToolPatterns NONE = new ToolPatterns(List.of());

    private final List<Pattern> patterns;

    private ToolPatterns(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** The patterns as written, each checked; a bad one is a 400 naming it and saying what a good one looks like. */
    public static ToolPatterns parse(String field, List<String> written) {
        if (written.size() > MAX_PATTERNS) {
            throw ApiException.invalid(field + " may hold at most " + MAX_PATTERNS + " tool patterns, got " + written.size());
        }
        return new ToolPatterns(written.stream().map(pattern -> parseOne(field, pattern)).toList());
    }

    private static Pattern parseOne(String field, String pattern) {
        if (pattern.endsWith(".*")) {
            String server = pattern.substring(0, pattern.length() - 2);
            if (ToolNames.serverProblem(server) == null) {
                return new Pattern(server, null);
            }
        } else {
            var name = ToolNames.fromPublicName(pattern);
            if (name.isPresent()) {
                return new Pattern(name.get().server(), name.get().tool());
            }
        }
        throw ApiException.invalid(field + " holds '" + pattern + "', which is neither a tool's name (<server>.<tool>, "
                + "as GET /api/tools lists them) nor all tools of a server (<server>.*)");
    }

    public boolean matches(String server, String tool) {
        for (Pattern pattern : patterns) {
            if (pattern.server.equals(server) && (pattern.tool == null || pattern.tool.equals(tool))) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /**
     * The patterns of {@code narrower} that can match no tool these patterns match (a request asking for a tool
     * its preset does not offer), as written; empty when {@code narrower} only narrows.
     */
    public List<String> outside(ToolPatterns narrower) {
        return narrower.patterns.stream()
                .filter(asked -> patterns.stream().noneMatch(offered -> offered.server.equals(asked.server)
                        && (offered.tool == null || asked.tool == null || offered.tool.equals(asked.tool))))
                .map(Pattern::written)
                .toList();
    }

    /** The patterns as written. */
    public List<String> written() {
        return patterns.stream().map(Pattern::written).toList();
    }

    @Override
    public String toString() {
        return written().toString();
    }

    /** One pattern: a server, and one of its tools or (null) all of them. */
    private record Pattern(String server, String tool) {
        String written() {
            return tool == null ? server + ".*" : ToolNames.publicName(server, tool);
        }
    }
}
