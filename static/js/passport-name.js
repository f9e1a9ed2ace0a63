/* evac: suggest each person's passport name (ICAO Doc 9303 spelling) as their
   name is typed. Progressive enhancement only: without this file the server
   fills in the same suggestion when the field is left empty. The letters come
   from the page (evac.registration.passport_names), so both spell alike. */
(function () {
  "use strict";

  var data = document.getElementById("passport-letters");
  if (!data) { return; }
  var letters = JSON.parse(data.dataset.letters);
  var NAME = /^[A-Z]+(?:[-' ]{1,2}[A-Z]+)*$/;
  var APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4";
  var MARK = /\p{Mn}/u;
  var LATIN = /\p{Script=Latin}/u;

  function latin(char) {
    if (Object.prototype.hasOwnProperty.call(letters.small, char)) { return letters.small[char]; }
    var capital = char.toUpperCase();
    if (/^[A-Z]$/.test(capital)) { return capital; }
    if (Object.prototype.hasOwnProperty.call(letters.capitals, capital)) { return letters.capitals[capital]; }
    if (APOSTROPHES.indexOf(char) !== -1) { return "'"; }
    if (char === " " || char === "-") { return char; }
    if (char === "." || char === ",") { return ""; }
    var base = capital.normalize("NFD").charAt(0);
    if (/^[A-Z]$/.test(base) && LATIN.test(capital)) { return base; }
    return null;
  }

  function suggest(name) {
    var text = name.replace(/\s+/g, " ").trim().normalize("NFC");
    var out = "";
    for (var char of text) {
      if (MARK.test(char)) { continue; }
      var spelled = latin(char);
      if (spelled === null) { return ""; }
      out += spelled;
    }
    out = out.replace(/\s+/g, " ").trim();
    return NAME.test(out) ? out : "";
  }

  /* Fill the passport field while it is empty or still holds our last suggestion:
     what the person typed there themselves is never overwritten. */
  document.addEventListener("input", function (event) {
    var source = event.target;
    var match = /^(members-\d+-)(given_name|family_name)$/.exec(source.name || "");
    if (!match || !source.form) { return; }
    var field = match[2] === "family_name" ? "passport_surname" : "passport_given_names";
    var target = source.form.elements.namedItem(match[1] + field);
    if (!target) { return; }
    var previous = target.dataset.suggested || "";
    if (target.value !== "" && target.value !== previous) { return; }
    var suggestion = suggest(source.value);
    target.value = suggestion;
    target.dataset.suggested = suggestion;
  });
})();
