// Swagger UI of Switchboard's API (served from the swagger-ui webjar, nothing fetched from elsewhere): the document
// is /api/openapi.json; "Authorize" takes the API key, sent as X-API-Key.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout'
  });
};
