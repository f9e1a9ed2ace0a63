// Starts Swagger UI from the locally served bundle (no CDN, no inline script).
(function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Never send the schema to swagger.io's online validator.
    validatorUrl: null,
  });
})();
