package io.switchboard.genesys;

import java.util.List;

/**
 * A valid resolve request: the integration's name, the JSON body exactly as received (what is submitted
 * to Genesys Cloud), and its distinct destinations ({@code uri} first, then {@code uris} in order).
 */
public record ResolveRequest(String name, String json, List<Destination> destinations) {
}
