package io.chatai.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One tool a server listed, as checked by {@link ToolListing}: its own name (without the server's), its
 * description (bounded) and the JSON schema of its arguments. Immutable by convention: the schema is never
 * changed after listing.
 */
public record ToolInfo(String name, String description, ObjectNode parameters) {
}
