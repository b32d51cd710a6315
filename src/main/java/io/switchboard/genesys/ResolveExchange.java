package io.switchboard.genesys;

/** Exchange properties the resolve workflow keeps its state in, step to step. */
final class ResolveExchange {

    /** System.nanoTime() when the request arrived (Long). */
    static final String STARTED = "GenesysResolveStarted";
    /** Problems the JSON Schema found, kept to be answered together with the URI rules (List of FieldError). */
    static final String SCHEMA_ERRORS = "GenesysResolveSchemaErrors";
    /** The validated request ({@link ResolveRequest}); its presence means the resolve counts in the metrics. */
    static final String REQUEST = "GenesysResolveRequest";
    /** Destinations the SSRF guard admitted, with their checked addresses (List of {@link CheckedDestination}). */
    static final String ADMITTED = "GenesysResolveAdmitted";
    /** Pre-flight findings per destination (List of {@link DestinationReport}). */
    static final String REPORTS = "GenesysResolveReports";

    private ResolveExchange() {
    }
}
