/* evac registration: progressive enhancement only. Every page works without
   this file; with it, people are added and removed without a round trip, the
   draft survives a reload, cities are suggested and the position can be filled
   in from the device. */
(function () {
  "use strict";

  var DRAFT_KEY = "evac:registration-draft";
  var MEMBER_PREFIX = /^members-\d+-/;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function storage() {
    try { return window.sessionStorage; } catch (error) { return null; }
  }

  /* ---- Household members ------------------------------------------------ */

  function memberRows(form) { return $$("fieldset.member", form); }

  function freeIndex(form) {
    return memberRows(form).reduce(function (highest, row) {
      return Math.max(highest, Number(row.dataset.member) + 1);
    }, 0);
  }

  function renameAttributes(element, from, to) {
    ["id", "name", "for", "aria-describedby"].forEach(function (attribute) {
      var value = element.getAttribute(attribute);
      if (value && value.indexOf(from) !== -1) {
        element.setAttribute(attribute, value.split(from).join(to));
      }
    });
  }

  function clearRow(row) {
    $$(".field-error", row).forEach(function (error) { error.remove(); });
    $$(".has-error", row).forEach(function (field) { field.classList.remove("has-error"); });
    $$("[aria-invalid]", row).forEach(function (field) { field.removeAttribute("aria-invalid"); });
    $$("[aria-describedby]", row).forEach(function (field) {
      var ids = field.getAttribute("aria-describedby").split(" ").filter(function (id) {
        return !/-error$/.test(id);
      });
      if (ids.length) { field.setAttribute("aria-describedby", ids.join(" ")); }
      else { field.removeAttribute("aria-describedby"); }
    });
    $$("input, select, textarea", row).forEach(function (field) {
      field.removeAttribute("autofocus");
      if (field.type === "checkbox") { field.checked = false; }
      else if (field.tagName === "SELECT") { field.value = /medical_urgency$/.test(field.name) ? "none" : ""; }
      else { field.value = ""; }
      if (field.getAttribute("autocomplete") && field.getAttribute("autocomplete") !== "off") {
        field.setAttribute("autocomplete", "off");
      }
    });
  }

  function addMember(form, index) {
    var rows = memberRows(form);
    var source = rows[rows.length - 1];
    var row = source.cloneNode(true);
    var next = index === undefined ? freeIndex(form) : Number(index);
    var from = "members-" + source.dataset.member + "-";
    var to = "members-" + next + "-";
    [row].concat($$("*", row)).forEach(function (element) { renameAttributes(element, from, to); });
    row.id = "member-" + next;
    row.dataset.member = String(next);
    $("[data-remove-member]", row).value = String(next);
    clearRow(row);
    updatePregnancy(row);
    source.parentNode.appendChild(row);
    renumber(form);
    return row;
  }

  function renumber(form) {
    var rows = memberRows(form);
    rows.forEach(function (row, position) {
      var number = String(position + 1);
      $(".member-legend", row).textContent = form.dataset.personLabel.replace("{n}", number);
      $("[data-remove-member]", row).textContent = form.dataset.removeLabel.replace("{n}", number);
      $(".member-actions", row).hidden = rows.length < 2;
    });
    var add = $("#add-member", form);
    if (add) { add.hidden = rows.length >= Number(form.dataset.maxMembers); }
  }

  function announce(text) {
    var status = $("#member-status");
    if (status) { status.textContent = text; }
  }

  function enhanceMembers(form) {
    var add = $("#add-member", form);
    if (add) {
      add.addEventListener("click", function (event) {
        event.preventDefault();
        var row = addMember(form);
        var number = String(memberRows(form).length);
        announce(form.dataset.msgAdded.replace("{n}", number));
        $("input", row).focus();
        saveDraft(form);
      });
    }
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-member]");
      if (!button || memberRows(form).length < 2) { return; }
      event.preventDefault();
      var row = button.closest("fieldset.member");
      var following = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber(form);
      updateSharing(form);
      announce(form.dataset.msgRemoved);
      ($("input", following) || add).focus();
      saveDraft(form);
    });
  }

  /* ---- Consent to share, only for third-country nationals -------------- */

  function updateSharing(form) {
    var block = $("[data-tcn-only]", form);
    if (!block) { return; }
    var home = form.dataset.homeCountry;
    var foreigner = $$("select[name$='-nationality']", form).some(function (select) {
      return select.value && select.value !== home;
    });
    var box = $("input[type=checkbox]", block);
    block.hidden = !foreigner && !(box && box.getAttribute("aria-invalid"));
    if (block.hidden && box) { box.checked = false; }
  }

  /* ---- Pregnancy: offered only to whom it can apply (the server checks too) */

  function ageOn(text, today) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!parts) { return NaN; }
    var year = Number(parts[1]), month = Number(parts[2]), day = Number(parts[3]);
    var age = today.getFullYear() - year;
    if (today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day)) { age -= 1; }
    return age;
  }

  function updatePregnancy(row) {
    var box = $("input[type=checkbox][name$='-pregnant']", row);
    if (!box || !row.dataset.pregnancyAges) { return; }
    var field = box.closest(".field-check") || box.parentNode;
    var sex = $("select[name$='-sex']", row);
    var born = $("input[name$='-date_of_birth']", row);
    var ages = row.dataset.pregnancyAges.split(" ").map(Number);
    var sexes = (row.dataset.pregnancySexes || "").split(" ");
    var age = ageOn(born && born.value, new Date());
    var possible = !!(sex && sexes.indexOf(sex.value) !== -1) && age >= ages[0] && age <= ages[1];
    // A box the server refused stays in view with its message, so it can be unticked.
    field.hidden = !possible && !box.getAttribute("aria-invalid");
    if (field.hidden) { box.checked = false; }
  }

  function enhancePregnancy(form) {
    memberRows(form).forEach(updatePregnancy);
    ["change", "input"].forEach(function (kind) {
      form.addEventListener(kind, function (event) {
        var row = event.target.closest && event.target.closest("fieldset.member");
        if (row && /-(sex|date_of_birth)$/.test(event.target.name || "")) { updatePregnancy(row); }
      });
    });
  }

  /* ---- Draft kept in this tab, so nothing typed is lost on reload -------- */

  var saveTimer = null;

  function draftOf(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || ["hidden", "submit", "button"].indexOf(field.type) !== -1) { return; }
      if (field.type === "checkbox") {
        if (field.checked) { fields.push([field.name, field.value]); }
      } else if (field.value) {
        fields.push([field.name, field.value]);
      }
    });
    return { members: memberRows(form).map(function (row) { return row.dataset.member; }), fields: fields };
  }

  function saveDraft(form) {
    var store = storage();
    if (!store) { return; }
    try { store.setItem(DRAFT_KEY, JSON.stringify(draftOf(form))); } catch (error) { /* full or private mode */ }
  }

  function restoreDraft(form) {
    var store = storage();
    if (!store || form.dataset.fresh !== "true") { return false; }
    var draft;
    try { draft = JSON.parse(store.getItem(DRAFT_KEY) || "null"); } catch (error) { return false; }
    if (!draft || !draft.fields || !draft.fields.length) { return false; }
    var wanted = (draft.members || []).map(String);
    wanted.forEach(function (index) {
      if (!$("fieldset.member[data-member='" + index + "']", form)) { addMember(form, index); }
    });
    memberRows(form).forEach(function (row) {
      if (wanted.length && wanted.indexOf(row.dataset.member) === -1 && memberRows(form).length > 1) { row.remove(); }
    });
    draft.fields.forEach(function (pair) {
      var field = form.elements.namedItem(pair[0]);
      if (!field || (window.RadioNodeList && field instanceof window.RadioNodeList)) { return; }
      if (field.type === "checkbox") { field.checked = true; } else { field.value = pair[1]; }
    });
    renumber(form);
    return true;
  }

  function enhanceDraft(form) {
    var restored = restoreDraft(form);
    var notice = $("#draft-notice");
    if (restored && notice) { notice.hidden = false; }
    saveDraft(form);
    form.addEventListener("input", function () {
      window.clearTimeout(saveTimer);
      saveTimer = window.setTimeout(function () { saveDraft(form); }, 300);
    });
    form.addEventListener("change", function () { saveDraft(form); });
    var clear = $("#draft-clear");
    if (clear) {
      clear.addEventListener("click", function () {
        var store = storage();
        if (store) { store.removeItem(DRAFT_KEY); }
        window.location.assign(window.location.pathname);
      });
    }
  }

  /* ---- City suggestions ------------------------------------------------- */

  function enhanceCity(form) {
    var input = $("#city", form);
    var list = input && document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) { return; }
    var timer = null;
    var asked = "";
    var pending = null;

    function fill(cities, query) {
      var options = cities.map(function (city) {
        var option = document.createElement("option");
        option.value = city.name;
        if (fold(city.name).indexOf(fold(query)) === -1) { option.label = city.name + " (" + query + ")"; }
        return option;
      });
      list.replaceChildren.apply(list, options);
    }

    function suggest() {
      var query = input.value.trim();
      var country = form.elements.namedItem("country");
      var params = new URLSearchParams({ q: query });
      if (country && country.value) { params.set("country", country.value); }
      if (query.length < 2 || params.toString() === asked) { return; }
      asked = params.toString();
      if (pending && window.AbortController) { pending.abort(); }
      pending = window.AbortController ? new AbortController() : null;
      fetch("/api/v1/places/cities?" + asked, {
        headers: { accept: "application/json" },
        signal: pending ? pending.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (cities) {
        fill(cities, query);
      }).catch(function () { /* offline or aborted: the field still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 250);
    });
    input.addEventListener("focus", suggest);
  }

  /* ---- Position from the device ----------------------------------------- */

  function enhancePosition(form) {
    var box = $("[data-position]", form);
    var button = $("#use-location", form);
    if (!box || !button || !navigator.geolocation) { return; }
    var status = $("#location-status", box);
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = box.dataset.msgLocating;
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.namedItem("latitude").value = position.coords.latitude.toFixed(5);
        form.elements.namedItem("longitude").value = position.coords.longitude.toFixed(5);
        $("details", box).open = true;
        status.textContent = box.dataset.msgDone;
        form.dispatchEvent(new Event("change"));
      }, function () {
        status.textContent = box.dataset.msgDenied;
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 600000 });
    });
  }

  /* ---- Confirmation page: forget the draft, copy and print -------------- */

  function enhanceConfirmation() {
    if (!$("[data-registration-complete]")) { return; }
    var store = storage();
    if (store) { store.removeItem(DRAFT_KEY); }
    var copy = $("[data-copy-link]");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(copy.dataset.copyLink).then(function () {
          $("[data-copy-status]").textContent = copy.dataset.msgCopied;
        });
      });
    }
    var print = $("[data-print]");
    if (print && window.print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  function enhanceErrorSummary() {
    var summary = $("#error-summary");
    if (!summary) { return; }
    if (document.activeElement === document.body) { summary.focus(); }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var label = $("label[for='" + field.id + "']");
      (label || field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  var registration = $("#registration-form");
  if (registration) {
    enhanceMembers(registration);
    enhanceDraft(registration);
    updateSharing(registration);
    registration.addEventListener("change", function (event) {
      if (MEMBER_PREFIX.test(event.target.name || "")) { updateSharing(registration); }
    });
  }
  $$("form.registration").forEach(function (form) {
    enhanceCity(form);
    enhancePosition(form);
  });
  $$("form").forEach(function (form) {
    if ($("fieldset.member", form)) { enhancePregnancy(form); }
  });
  enhanceConfirmation();
  enhanceErrorSummary();
})();
