// GOV.UK Frontend: mark the page as having JavaScript before it renders (loaded as the first
// child of <body>, without defer, so there is no flash of the no-JavaScript layout). An external
// file because the content security policy allows no inline scripts.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
