// The SMS length of each language's broadcast text while it is typed: GSM-7 or
// UCS-2 and how many parts (the same rule as evac/notifications/sms_length.py).
// The preview, computed on the server, stays the exact count; without
// JavaScript nothing is lost.
(function () {
  "use strict";
  var BASIC =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENDED = "^{}\\[~]|€\f";

  function measure(text) {
    var gsm = true;
    var places = 0;
    for (var i = 0; i < text.length; i++) {
      var char = text.charAt(i);
      if (EXTENDED.indexOf(char) >= 0) {
        places += 2;
      } else if (BASIC.indexOf(char) >= 0) {
        places += 1;
      } else {
        gsm = false;
      }
    }
    if (!gsm) {
      places = text.length; // UTF-16 code units, as UCS-2 counts them
    }
    var single = gsm ? 160 : 70;
    var perPart = gsm ? 153 : 67;
    var parts = places === 0 ? 0 : places <= single ? 1 : Math.ceil(places / perPart);
    return { characters: places, encoding: gsm ? "GSM-7" : "UCS-2", parts: parts };
  }

  document.querySelectorAll("textarea[data-sms-count]").forEach(function (body) {
    var output = document.getElementById(body.getAttribute("data-sms-count"));
    var subject = document.getElementById(body.id.replace("body_", "subject_"));
    var words = body.getAttribute("data-sms-words") || "{characters} · {encoding} · {parts}";
    if (!output) {
      return;
    }
    function update() {
      var length = measure((subject ? subject.value + ": " : "") + body.value);
      output.textContent = words
        .replace("{characters}", length.characters)
        .replace("{encoding}", length.encoding)
        .replace("{parts}", length.parts);
      output.hidden = length.characters === 0;
    }
    body.addEventListener("input", update);
    if (subject) {
      subject.addEventListener("input", update);
    }
    update();
  });
})();
