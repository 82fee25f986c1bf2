/* Swagger UI names each group of operations (h3) and the schemas (h4) straight after the
   API's title; present them as second-level headings so the page's outline has no gap. */
const levelHeadings = () => {
  document
    .querySelectorAll("#swagger-ui h3.opblock-tag, #swagger-ui section.models > h4")
    .forEach((heading) => {
      heading.setAttribute("role", "heading");
      heading.setAttribute("aria-level", "2");
    });
};
new MutationObserver(levelHeadings).observe(document.getElementById("swagger-ui"), {
  childList: true,
  subtree: true,
});
