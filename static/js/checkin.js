// Scanning a boarding pass's QR code with the phone camera, where the browser
// offers BarcodeDetector; typing the reference always works without it.
(function () {
  "use strict";
  var button = document.getElementById("scan");
  var video = document.getElementById("scanner");
  var input = document.getElementById("reference");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        return video.play().then(function () {
          return scanUntilFound(detector, stream);
        });
      })
      .catch(function () {
        button.hidden = true;
      });
  });

  function scanUntilFound(detector, stream) {
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        // The QR carries "REFERENCE" or "REFERENCE/passenger"; the reference comes first.
        input.value = codes[0].rawValue.split("/")[0];
        stream.getTracks().forEach(function (track) { track.stop(); });
        video.hidden = true;
        input.focus();
        if (input.form) { input.form.submit(); }
      } else {
        window.requestAnimationFrame(function () { scanUntilFound(detector, stream); });
      }
    });
  }
})();
