(function () {
  var viewer = document.getElementById("viewer");
  if (!viewer || typeof viewer.showModal !== "function") { return; }
  var body = viewer.querySelector(".viewer-body");
  var caption = viewer.querySelector(".viewer-caption");
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-enlarge]");
    if (!link) { return; }
    event.preventDefault();
    var img = new Image();
    img.src = link.getAttribute("href");
    img.alt = link.getAttribute("data-caption") || "";
    caption.textContent = link.getAttribute("data-caption") || "";
    body.replaceChildren(img);
    viewer.showModal();
  });
  viewer.addEventListener("click", function (event) {
    if (event.target === viewer || event.target.closest("[data-close]")) { viewer.close(); }
  });
})();
