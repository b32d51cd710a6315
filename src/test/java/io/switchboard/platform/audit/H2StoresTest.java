package io.switchboard.platform.audit;

/** The stores on the embedded H2 database (sandbox mode's default). */
class H2StoresTest extends StoresContract {
}
