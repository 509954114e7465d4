#!/usr/bin/env python3
# Copied unchanged, apart from these three lines, from the team's benchmark kit
# (/work/shared/bench/gen_corpus.py, 2026-11-30), so that `make bench` generates its own
# pages; nothing in the project reads that kit when it runs.
"""Deterministic synthetic corpus of career pages (HTML) and career-profile PDFs.

Usage: python gen_corpus.py OUTDIR [--seed N]

Writes OUTDIR/html/page_NNN.html (200 pages, 50-300 KiB each),
OUTDIR/pdf/profile_NN.pdf (10 PDFs, 50 pages in total) and OUTDIR/manifest.json
(sizes plus the true figures of each document, for later accuracy checks).
All wording is generated here from templates; no text is copied from any site.
PDFs need fpdf2 (pip install fpdf2).
"""
import argparse
import json
import os
import random
from datetime import datetime, timezone

N_HTML = 200
HTML_MIN, HTML_MAX = 50 * 1024, 300 * 1024
PDF_PAGES = [3, 4, 5, 6, 7, 7, 6, 5, 4, 3]  # 10 PDFs, 50 pages

OCCUPATIONS = [
    "Registered Nurses", "Electricians", "Software Developers", "Dental Hygienists",
    "Plumbers, Pipefitters, and Steamfitters", "Accountants and Auditors", "Medical Assistants",
    "Web Developers", "Civil Engineers", "Pharmacists", "Physical Therapists",
    "Heavy and Tractor-trailer Truck Drivers", "Carpenters", "Chefs and Head Cooks",
    "Graphic Designers", "Paralegals and Legal Assistants", "Police and Detectives",
    "Veterinary Technologists and Technicians", "Welders, Cutters, Solderers, and Brazers",
    "Heating, Air Conditioning, and Refrigeration Mechanics", "Data Scientists", "Actuaries",
    "Librarians and Library Media Specialists", "Kindergarten and Elementary School Teachers",
    "Firefighters", "Occupational Therapists", "Respiratory Therapists", "Financial Analysts",
    "Market Research Analysts", "Dietitians and Nutritionists", "Surveyors", "Machinists",
    "Airline and Commercial Pilots", "Flight Attendants", "Insurance Underwriters",
    "Interpreters and Translators", "Social Workers", "Logisticians",
    "Radiologic and MRI Technologists", "Medical Records Specialists", "Landscape Architects",
    "Architects", "Budget Analysts", "Court Reporters", "Dental Assistants", "Electrical Engineers",
    "Environmental Scientists", "Home Health and Personal Care Aides",
    "Information Security Analysts", "Opticians", "Photographers", "Real Estate Agents",
    "Speech-Language Pathologists", "Wind Turbine Technicians", "Zoologists and Wildlife Biologists",
    "Hydrologists", "Bakers", "Barbers and Hairstylists", "Bus Drivers", "Cost Estimators",
]
GROUPS = [
    "Architecture and Engineering", "Arts and Design", "Building and Grounds Cleaning",
    "Business and Financial", "Community and Social Service", "Computer and Information Technology",
    "Construction and Extraction", "Education, Training, and Library", "Entertainment and Sports",
    "Farming, Fishing, and Forestry", "Food Preparation and Serving", "Healthcare",
    "Installation, Maintenance, and Repair", "Legal", "Life, Physical, and Social Science",
    "Management", "Math", "Media and Communication", "Military", "Office and Administrative Support",
    "Personal Care and Service", "Production", "Protective Service", "Sales", "Transportation",
]
EDU = ["High school diploma or equivalent", "Postsecondary nondegree award", "Associate's degree",
       "Bachelor's degree", "Master's degree", "Doctoral or professional degree",
       "No formal educational credential", "Some college, no degree"]
EXP = ["None", "Less than 5 years", "5 years or more"]
OJT = ["None", "Short-term on-the-job training", "Moderate-term on-the-job training",
       "Long-term on-the-job training", "Apprenticeship", "Internship/residency"]
INDUSTRIES = ["Hospitals; state, local, and private", "Construction", "Manufacturing",
              "Professional, scientific, and technical services", "Government", "Retail trade",
              "Finance and insurance", "Educational services", "Self-employed workers",
              "Wholesale trade", "Transportation and warehousing", "Ambulatory healthcare services"]
STATES = ["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
          "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
          "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
          "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
          "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
          "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota",
          "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia",
          "Wisconsin", "Wyoming"]
SITES = [("CareerCompass", "careercompass.example"), ("PathwayPay", "pathwaypay.example"),
         ("JobAtlas", "jobatlas.example"), ("WorkOutlook Hub", "workoutlook.example")]

# --- prose building blocks (original wording) ---
VERBS = ["plan", "review", "inspect", "maintain", "coordinate", "document", "install", "evaluate",
         "prepare", "monitor", "explain", "test", "repair", "design", "schedule", "advise"]
OBJS = ["work orders", "client records", "project budgets", "safety procedures", "equipment logs",
        "treatment plans", "technical drawings", "quality reports", "supply orders",
        "team schedules", "system settings", "training materials", "cost estimates"]
ADJS = ["detailed", "routine", "complex", "daily", "seasonal", "regulated", "hands-on",
        "specialized", "collaborative", "fast-paced", "independent", "varied"]
PLACES = ["offices", "hospitals", "construction sites", "factories", "schools", "laboratories",
          "client homes", "retail stores", "government agencies", "remote settings", "clinics"]
SKILLS = ["communication", "problem-solving", "attention to detail", "physical stamina",
          "customer service", "time management", "math", "analytical thinking", "dexterity",
          "leadership", "teamwork", "writing"]

FILLER_SENTS = [
    "Most {occ} work in {place}, although some spend part of the week in {place2}.",
    "A typical day involves {adj} tasks such as helping to {verb} {obj} and {verb2} {obj2}.",
    "Employers often look for candidates with strong {skill} and {skill2} skills.",
    "Some workers {verb} {obj} on their own, while others {verb2} {obj2} as part of a larger team.",
    "Work schedules can be {adj}, and evening or weekend shifts are common in {place}.",
    "New hires usually spend several months learning to {verb} {obj} under supervision.",
    "Advancement often depends on experience, additional certification, and good {skill}.",
    "Tools and software differ by employer, but most {occ} use them to {verb} {obj}.",
    "Those who enjoy {adj} work and have a knack for {skill} may find this field rewarding.",
    "Because the job can be {adj}, many people in this role value clear {skill}.",
    "Larger employers may ask {occ} to {verb} {obj} across several {place} at once.",
    "Part-time work is available in some {place}, particularly during busy periods.",
    "Licensing requirements vary by state, so applicants should check local rules before they {verb} {obj}.",
    "Mentorship programs help beginners learn how to {verb} {obj} safely and efficiently.",
]


def money(x, cents=False):
    return f"${x:,.2f}" if cents else f"${int(round(x)):,}"


def pick(rng, seq):
    return seq[rng.randrange(len(seq))]


def sentence(rng, occ):
    t = pick(rng, FILLER_SENTS)
    return t.format(occ=occ.lower(), place=pick(rng, PLACES), place2=pick(rng, PLACES),
                    adj=pick(rng, ADJS), verb=pick(rng, VERBS), verb2=pick(rng, VERBS),
                    obj=pick(rng, OBJS), obj2=pick(rng, OBJS), skill=pick(rng, SKILLS),
                    skill2=pick(rng, SKILLS))


def paragraph(rng, occ, n=None):
    n = n or rng.randint(3, 6)
    return " ".join(sentence(rng, occ) for _ in range(n))


def make_facts(rng, occ):
    median = rng.randrange(2800, 18000) * 10
    p10 = median * rng.uniform(0.52, 0.70)
    p25 = median * rng.uniform(0.76, 0.88)
    p75 = median * rng.uniform(1.18, 1.36)
    p90 = median * rng.uniform(1.42, 1.85)
    pct = [round(v, -1) for v in (p10, p25, median, p75, p90)]
    jobs = rng.randrange(5, 3500) * 1000 + rng.randrange(0, 1000) // 100 * 100
    growth = rng.choice([-8, -5, -3, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 15, 17, 22, 26])
    return {
        "occupation": occ, "median_annual": int(median),
        "median_hourly": round(median / 2080, 2),
        "percentiles_annual": [int(v) for v in pct],
        "percentiles_hourly": [round(v / 2080, 2) for v in pct],
        "jobs_2024": jobs, "growth_pct": growth, "change": int(round(jobs * growth / 100, -2)),
        "openings": int(round(jobs * rng.uniform(0.06, 0.14), -2)),
        "education": pick(rng, EDU), "experience": pick(rng, EXP), "training": pick(rng, OJT),
        "top_pay_capped": p90 > 239200,
    }


def growth_phrase(rng, f, occ):
    g = f["growth_pct"]
    if g > 0:
        return rng.choice([
            f"Employment of {occ.lower()} is projected to grow {g} percent from 2024 to 2034.",
            f"Overall employment of {occ.lower()} grew {g}% from 2024 to 2034 in the projection tables.",
            f"Jobs for {occ.lower()} are expected to increase {g}% between 2024 and 2034.",
        ])
    if g < 0:
        return f"Employment of {occ.lower()} is projected to decline {-g} percent from 2024 to 2034."
    return f"Employment of {occ.lower()} is projected to show little or no change from 2024 to 2034."


# ---------------------------------------------------------------- HTML pieces
def js_iife(rng):
    ns = pick(rng, ["menu", "tabs", "cookie", "search", "share", "print", "toc", "chart"])
    v = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(3))
    return f"""(function(w, d) {{
  "use strict";
  var {v}Cfg = {{ selector: ".{ns}-root", openClass: "is-open", delay: {rng.randint(50, 400)}, debug: false }};
  function {v}Init() {{
    var nodes = d.querySelectorAll({v}Cfg.selector + " [data-{ns}]");
    for (var i = 0; i < nodes.length; i++) {{
      nodes[i].addEventListener("click", function (ev) {{
        var target = d.getElementById(this.getAttribute("aria-controls"));
        if (!target) {{ return; }}
        var open = target.classList.toggle({v}Cfg.openClass);
        this.setAttribute("aria-expanded", open ? "true" : "false");
        if ({v}Cfg.debug) {{ console.log("{ns} toggled", open); }}
        ev.preventDefault();
      }});
    }}
    w.addEventListener("resize", {v}Debounce(function () {{
      d.documentElement.style.setProperty("--{ns}-h", w.innerHeight * 0.01 + "px");
    }}, {v}Cfg.delay));
  }}
  function {v}Debounce(fn, ms) {{
    var t; return function () {{ var a = arguments, c = this; clearTimeout(t); t = setTimeout(function () {{ fn.apply(c, a); }}, ms); }};
  }}
  if (d.readyState === "loading") {{ d.addEventListener("DOMContentLoaded", {v}Init); }} else {{ {v}Init(); }}
}})(window, document);
"""


def js_chunk(rng):
    mods = []
    for _ in range(rng.randint(3, 8)):
        mid = rng.randint(1000, 99999)
        a, b, c = (rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3))
        body = rng.choice([
            f'var {a}=function({b}){{return {b}.replace(/\\s+/g," ").trim()}},{c}=function({b}){{return Number(String({b}).replace(/[^0-9.-]/g,""))}};',
            f'function {a}({b},{c}){{if(!{b})return[];var r=[];for(var i=0;i<{b}.length;i++)if({c}({b}[i],i))r.push({b}[i]);return r}}',
            f'var {a}={{fmt:function({b}){{return new Intl.NumberFormat("en-US",{{style:"currency",currency:"USD",maximumFractionDigits:0}}).format({b})}},pct:function({b}){{return ({b}>0?"+":"")+{b}+"%"}}}};',
            f'{a}.prototype.render=function(){{var {b}=this.el,{c}=this.state;{b}.innerHTML="";{c}.items.forEach(function(x){{var li=document.createElement("li");li.textContent=x.label;{b}.appendChild(li)}})}};',
            f'var {a}=new IntersectionObserver(function({b}){{{b}.forEach(function({c}){{if({c}.isIntersecting){{{c}.target.src={c}.target.dataset.src;{a}.unobserve({c}.target)}}}})}},{{rootMargin:"200px"}});',
            f'function {a}({b}){{try{{return JSON.parse(localStorage.getItem({b})||"null")}}catch({c}){{return null}}}}',
        ])
        mods.append(f'{mid}:function(e,t,n){{"use strict";n.d(t,{{{a}:function(){{return {a}}}}});{body}}}')
    return f'(self.webpackChunk_site=self.webpackChunk_site||[]).push([[{rng.randint(100, 999)}],{{{",".join(mods)}}}]);\n'


def js_state(rng, f, occ, n_items):
    items = []
    for i in range(n_items):
        o = pick(rng, OCCUPATIONS)
        items.append({"id": rng.randint(10000, 99999), "title": o,
                      "slug": o.lower().replace(",", "").replace(" ", "-"),
                      "group": pick(rng, GROUPS), "median": rng.randrange(2800, 18000) * 10,
                      "growth": rng.randint(-8, 26), "edu": pick(rng, EDU),
                      "updated": f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"})
    state = {"page": {"type": "occupation", "title": occ, "lang": "en-US",
                      "flags": {"newNav": rng.random() < 0.5, "abTest": pick(rng, ["a", "b", "c"])}},
             "related": items, "i18n": {"close": "Close", "menu": "Menu", "search": "Search"}}
    return "window.__PAGE_STATE__ = " + json.dumps(state, separators=(",", ":")) + ";\n"


def css_block(rng, n_rules):
    sels = [".site-header", ".primary-nav a", ".card", ".card-value", ".quick-facts th",
            ".quick-facts td", ".wages td", ".footer-col a", ".cookie-banner", ".btn-primary",
            ".breadcrumb li", ".sidebar a", "article h2", "article p", ".skip-link:focus"]
    props = ["color:#{:06x}", "margin:{}px 0", "padding:{}px {}px", "font-size:{}rem",
             "border:1px solid #{:06x}", "line-height:1.{}", "display:flex", "gap:{}px",
             "background:#{:06x}", "border-radius:{}px", "font-weight:{}00"]
    out = []
    for _ in range(n_rules):
        p = []
        for t in rng.sample(props, rng.randint(2, 5)):
            p.append(t.format(*[rng.randint(0, 0xFFFFFF) if "#" in t else rng.randint(1, 9)
                                for _ in range(t.count("{"))]))
        media = rng.random() < 0.15
        rule = f"{pick(rng, sels)}{pick(rng, ['', ':hover', ' > span', '.is-active'])}{{{';'.join(p)}}}"
        out.append(f"@media (max-width:{rng.choice([480, 768, 1024])}px){{{rule}}}" if media else rule)
    return "\n".join(out)


def nav_html(rng, domain, n_groups):
    parts = ['<nav class="primary-nav" aria-label="Main"><ul class="menu">']
    for g in rng.sample(GROUPS, n_groups):
        slug = g.lower().replace(",", "").replace(" ", "-")
        parts.append(f'<li class="menu-item has-children"><a href="https://{domain}/{slug}/">{g}</a>'
                     f'<ul class="sub-menu">')
        for o in rng.sample(OCCUPATIONS, rng.randint(4, 10)):
            s = o.lower().replace(",", "").replace(" ", "-")
            parts.append(f'<li><a href="https://{domain}/{slug}/{s}.htm">{o}</a></li>')
        parts.append("</ul></li>")
    parts.append("</ul></nav>")
    return "\n".join(parts)


def footer_html(rng, domain, site):
    cols = []
    for title in rng.sample(["About", "Resources", "Data Tools", "Publications", "Help",
                             "Partners", "Careers", "Legal"], rng.randint(4, 6)):
        links = "".join(f'<li><a href="https://{domain}/{title.lower()}/{i}">{title} link {i + 1}: '
                        f'{pick(rng, ["Overview", "FAQ", "Contact", "Guides", "Archive", "Methods"])}</a></li>'
                        for i in range(rng.randint(6, 12)))
        cols.append(f'<div class="footer-col"><h4>{title}</h4><ul>{links}</ul></div>')
    return (f'<footer class="site-footer"><div class="footer-cols">{"".join(cols)}</div>'
            f'<div class="footer-bottom"><p>&copy; 2025 {site}. Figures shown are illustrative. '
            f'<a href="https://{domain}/privacy">Privacy</a> | <a href="https://{domain}/terms">Terms</a></p>'
            f'<ul class="social"><li><a href="#" aria-label="Share">Share</a></li>'
            f'<li><a href="#" aria-label="Email">Email</a></li><li><a href="#" aria-label="Print">Print</a></li></ul>'
            f'</div></footer>')


def html_page(rng, idx, target):
    occ = pick(rng, OCCUPATIONS)
    site, domain = pick(rng, SITES)
    f = make_facts(rng, occ)
    slug = occ.lower().replace(",", "").replace(" ", "-")
    pa, ph = f["percentiles_annual"], f["percentiles_hourly"]
    med, medh = money(f["median_annual"]), money(f["median_hourly"], True)
    p90a = ">= $239,200" if f["top_pay_capped"] else money(pa[4])

    head = f"""<!DOCTYPE html>
<html lang="en-US" class="no-js">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{occ}: Pay, Outlook and Duties | {site}</title>
<meta name="description" content="{occ} earn a median of {med} per year. See duties, work environment, pay and job outlook.">
<meta name="keywords" content="{occ.lower()}, salary, wages, job outlook, careers">
<meta property="og:type" content="article">
<meta property="og:title" content="{occ} | {site}">
<meta property="og:description" content="Median pay {med} per year; outlook {f['growth_pct']}% 2024-34.">
<meta property="og:url" content="https://{domain}/careers/{slug}.htm">
<meta property="og:image" content="https://{domain}/img/{slug}-{idx}.jpg">
<meta name="twitter:card" content="summary_large_image">
<link rel="canonical" href="https://{domain}/careers/{slug}.htm">
<link rel="preconnect" href="https://cdn.{domain}">
<link rel="stylesheet" href="https://cdn.{domain}/css/main.{rng.randint(10**6, 10**7)}.css">
<link rel="icon" href="/favicon.ico">
<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", "@type": "Occupation", "name": occ, "estimatedSalary": [{"@type": "MonetaryAmountDistribution", "name": "base", "currency": "USD", "median": f["median_annual"], "percentile10": pa[0], "percentile90": pa[4]}], "occupationLocation": [{"@type": "Country", "name": "US"}]})}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag("js",new Date());gtag("config","G-{rng.randint(10**8, 10**9)}",{{"anonymize_ip":true,"page_path":"/careers/{slug}.htm"}});</script>
"""
    base_css = css_block(rng, 40)
    body_top = f"""<body class="page-occupation tpl-{rng.randint(1, 5)}">
<div id="cookie-banner" class="cookie-banner" role="dialog" aria-live="polite" aria-label="Cookie consent">
<p>We use cookies to understand how visitors use {site}. You can accept all cookies or choose which ones to allow. <a href="https://{domain}/cookies">Read our cookie notice</a>.</p>
<button class="btn btn-primary" id="cookie-accept">Accept all</button> <button class="btn" id="cookie-settings">Cookie settings</button>
</div>
<a class="skip-link" href="#main-content">Skip to main content</a>
<header class="site-header"><div class="logo"><a href="https://{domain}/"><img src="/img/logo.svg" alt="{site} home"></a></div>
<form class="site-search" action="/search" role="search"><label for="q" class="sr-only">Search</label><input id="q" name="q" type="search" placeholder="Search careers"><button type="submit">Go</button></form>
"""
    nav = nav_html(rng, domain, rng.randint(8, 16))
    crumbs = (f'</header><nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>'
              f'<li><a href="/careers/">Careers</a></li><li><a href="/careers/{pick(rng, GROUPS).lower()}">Group</a></li>'
              f'<li aria-current="page">{occ}</li></ol></nav>')
    sidebar = ('<div class="layout"><aside class="sidebar"><ul class="tabs" role="tablist">' +
               "".join(f'<li role="presentation"><a role="tab" href="#tab-{i + 1}" data-tabs="{i}">{t}</a></li>'
                       for i, t in enumerate(["Summary", "What They Do", "Work Environment", "How to Become One",
                                              "Pay", "Job Outlook", "State &amp; Area Data", "Similar Occupations",
                                              "More Info"])) + "</ul></aside>")
    quick = f"""<section id="quick-facts"><h2>Quick Facts: {occ}</h2>
<table class="quick-facts" id="quickfacts"><caption>Quick facts for {occ}</caption><tbody>
<tr><th scope="row">2024 Median Pay <a href="#notes" class="fn">(1)</a></th><td>{med} per year<br>{medh} per hour</td></tr>
<tr><th scope="row">Typical Entry-Level Education</th><td>{f['education']}</td></tr>
<tr><th scope="row">Work Experience in a Related Occupation</th><td>{f['experience']}</td></tr>
<tr><th scope="row">On-the-job Training</th><td>{f['training']}</td></tr>
<tr><th scope="row">Number of Jobs, 2024</th><td>{f['jobs_2024']:,}</td></tr>
<tr><th scope="row">Job Outlook, 2024-34</th><td>{f['growth_pct']}% ({pick(rng, ['About as fast as average', 'Faster than average', 'Much faster than average', 'Slower than average', 'Decline'])})</td></tr>
<tr><th scope="row">Employment Change, 2024-34</th><td>{f['change']:,}</td></tr>
</tbody></table></section>
"""
    cards = ('<div class="stat-cards">' + "".join(
        f'<div class="card"><div class="card-label">{lab}</div><div class="card-value">{val}</div>'
        f'<div class="card-note">{note}</div></div>'
        for lab, val, note in [("Median annual wage", med, "May 2024"), ("Median hourly wage", medh, "May 2024"),
                               ("Projected growth", f"{f['growth_pct']}%", "2024-2034"),
                               ("Openings per year", f"{f['openings']:,}", "average, 2024-34"),
                               ("Employment", f"{f['jobs_2024']:,}", "jobs in 2024")]) + "</div>")
    duties = "".join(f"<li>{v.capitalize()} {o} and {v2} {o2}</li>" for v, o, v2, o2 in
                     [(pick(rng, VERBS), pick(rng, OBJS), pick(rng, VERBS), pick(rng, OBJS)) for _ in range(rng.randint(5, 9))])
    wages_tbl = f"""<table class="wages" id="wage-percentiles"><caption>Wage percentiles for {occ}, May 2024</caption>
<thead><tr><th scope="col">Measure</th><th scope="col">10%</th><th scope="col">25%</th><th scope="col">50% (Median)</th><th scope="col">75%</th><th scope="col">90%</th></tr></thead>
<tbody><tr><th scope="row">Hourly wage</th>{''.join(f'<td>{money(v, True)}</td>' for v in ph)}</tr>
<tr><th scope="row">Annual wage</th>{''.join(f'<td>{money(v)}</td>' for v in pa[:4])}<td>{p90a}</td></tr></tbody></table>"""
    ind = rng.sample(INDUSTRIES, 5)
    ind_tbl = ('<table class="industry-wages"><thead><tr><th>Industry</th><th>Median annual wage</th></tr></thead><tbody>' +
               "".join(f"<tr><td>{i}</td><td>{money(f['median_annual'] * rng.uniform(0.8, 1.25))}</td></tr>" for i in ind) +
               "</tbody></table>")
    article = f"""<main id="main-content"><article class="occupation">
<h1 class="title">{occ}</h1>
<p class="summary"><strong>Summary:</strong> {paragraph(rng, occ, 3)} The median annual wage was <strong>{med}</strong> in May 2024.</p>
{quick}{cards}
<section id="tab-2"><h2>What {occ} Do</h2><p>{paragraph(rng, occ)}</p><h3>Duties</h3><p>{occ} typically do the following:</p><ul class="duties">{duties}</ul><p>{paragraph(rng, occ)}</p></section>
<section id="tab-3"><h2>Work Environment</h2><p>{occ} held about {f['jobs_2024']:,} jobs in 2024. {paragraph(rng, occ)}</p><h3>Work Schedules</h3><p>{paragraph(rng, occ, 3)}</p></section>
<section id="tab-4"><h2>How to Become One</h2><p>{paragraph(rng, occ)}</p><h3>Education</h3><p>The typical entry-level education is: {f['education'].lower()}. {paragraph(rng, occ, 3)}</p><h3>Important Qualities</h3><ul>{''.join(f'<li><strong>{s.capitalize()} skills.</strong> {sentence(rng, occ)}</li>' for s in rng.sample(SKILLS, 4))}</ul></section>
<section id="tab-5"><h2>Pay</h2><p>The median annual wage for {occ.lower()} was {med} in May 2024. The median wage is the wage at which half the workers in an occupation earned more than that amount and half earned less. The lowest 10 percent earned less than {money(pa[0])}, and the highest 10 percent earned more than {p90a.replace('>= ', '')}.</p>
{wages_tbl}
<p>In May 2024, the median annual wages for {occ.lower()} in the top industries in which they worked were as follows:</p>{ind_tbl}
<p>{paragraph(rng, occ, 3)} Pay in the top quarter started at about {money(pa[3])} a year, or {money(ph[3], True)} an hour.</p></section>
<section id="tab-6"><h2>Job Outlook</h2><p>{growth_phrase(rng, f, occ)} About {f['openings']:,} openings for {occ.lower()} are projected each year, on average, over the decade. {paragraph(rng, occ, 3)}</p>
<h3>Employment projections</h3><table class="projections"><thead><tr><th>Occupational title</th><th>Employment, 2024</th><th>Projected employment, 2034</th><th>Change, percent</th><th>Change, numeric</th></tr></thead><tbody><tr><td>{occ}</td><td>{f['jobs_2024']:,}</td><td>{f['jobs_2024'] + f['change']:,}</td><td>{f['growth_pct']}</td><td>{f['change']:,}</td></tr></tbody></table></section>
"""
    tail_article = (f'<section id="tab-8"><h2>Similar Occupations</h2><ul class="similar">' +
                    "".join(f'<li><a href="/careers/{o.lower().replace(" ", "-")}.htm">{o}</a>: median pay {money(rng.randrange(2800, 18000) * 10)}</li>'
                            for o in rng.sample(OCCUPATIONS, 6)) +
                    f'</ul></section><section id="tab-9"><h2>More Information</h2><p>{paragraph(rng, occ, 2)}</p>'
                    f'<p id="notes" class="notes"><small>(1) Wages are for wage and salary workers and exclude self-employed workers. Figures on this page are synthetic.</small></p></section>'
                    "</article></main></div>")
    scripts_end = [js_iife(rng), js_iife(rng), js_chunk(rng)]
    footer = footer_html(rng, domain, site)

    def assemble(extra_article, extra_css, extra_js):
        return "".join([
            head, "<style>\n", base_css, "\n", extra_css, "\n</style>\n</head>\n", body_top, nav, crumbs,
            sidebar, article, extra_article, tail_article, footer,
            "".join(f"<script>\n{s}</script>\n" for s in scripts_end + extra_js),
            "</body>\n</html>\n"])

    base = assemble("", "", [])
    deficit = max(0, target - len(base.encode()))
    # split the remaining bytes: ~30% visible content (state table, FAQ), ~70% code (JSON state, bundles, CSS)
    content_budget = int(deficit * rng.uniform(0.2, 0.4))
    extra = []
    n = 0
    if content_budget > 3000:
        rows = []
        for st in rng.sample(STATES, min(50, max(5, content_budget // 900))):
            rows.append(f"<tr><th scope='row'>{st}</th><td>{rng.randrange(100, 90000):,}</td><td>{rng.uniform(0.2, 4.5):.2f}</td>"
                        f"<td>{money(f['median_annual'] * rng.uniform(0.75, 1.3))}</td><td>{money(f['median_hourly'] * rng.uniform(0.75, 1.3), True)}</td></tr>")
        tbl = (f"<section id='tab-7'><h2>State &amp; Area Data</h2><p>{paragraph(rng, occ, 2)}</p>"
               f"<table class='state-wages'><thead><tr><th>State</th><th>Employment</th><th>Jobs per 1,000</th>"
               f"<th>Annual median wage</th><th>Hourly median wage</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>")
        extra.append(tbl)
        n += len(tbl)
    faq = ["<section class='faq'><h2>Frequently Asked Questions</h2>"]
    while n < content_budget:
        q = f"<h3>How much do {occ.lower()} earn in {pick(rng, STATES)}?</h3>"
        a = f"<p>{paragraph(rng, occ)} Reported wages there ranged from {money(pa[0] * rng.uniform(0.9, 1.1))} to {money(pa[3] * rng.uniform(0.9, 1.2))}.</p>"
        faq.append(q + a)
        n += len(q) + len(a)
    faq.append("</section>")
    extra.append("".join(faq))
    extra_article = "\n".join(extra)
    code_budget = target - len(assemble(extra_article, "", []).encode())
    extra_css = css_block(rng, max(0, int(code_budget * 0.15) // 80))
    extra_js = [js_state(rng, f, occ, max(1, int(code_budget * 0.35) // 230))]
    while True:
        page = assemble(extra_article, extra_css, extra_js)
        if len(page.encode()) >= target - 2000:
            break
        extra_js.append(js_chunk(rng))
    return page, f


# ---------------------------------------------------------------- PDFs
def make_pdf(rng, path, n_pages, doc_idx):
    from fpdf import FPDF
    occ = pick(rng, OCCUPATIONS)
    f = make_facts(rng, occ)
    pa, ph = f["percentiles_annual"], f["percentiles_hourly"]

    class Profile(FPDF):
        def header(self):
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 6, f"Career Profile Series - {occ}", align="R", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-12)
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 6, f"Page {self.page_no()} of {n_pages}", align="C")

    pdf = Profile(format="Letter")
    pdf.set_creation_date(datetime(2025, 1, 1, tzinfo=timezone.utc))
    pdf.set_title(f"{occ} career profile")
    pdf.set_auto_page_break(True, margin=15)

    def heading(txt, size=14):
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(0, size * 0.5, txt, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font("Helvetica", "", 10)

    def para(txt):
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, txt, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def fill_page(start_page):
        # add paragraphs while they fit on the current page
        while True:
            txt = paragraph(rng, occ, rng.randint(2, 4))
            with pdf.offset_rendering() as dummy:
                dummy.set_font("Helvetica", "", 10)
                dummy.multi_cell(0, 5, txt, new_x="LMARGIN", new_y="NEXT")
            if dummy.page_break_triggered or pdf.page != start_page:
                return
            para(txt)

    def table(rows, widths):
        pdf.set_font("Helvetica", "", 9)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as t:
            for r in rows:
                row = t.row()
                for c in r:
                    row.cell(str(c))
        pdf.ln(3)

    for p in range(n_pages):
        pdf.add_page()
        if p == 0:
            heading(f"{occ}: Career Profile", 18)
            para(f"This profile summarizes pay and outlook for {occ.lower()}. The median annual wage was "
                 f"{money(f['median_annual'])} ({money(f['median_hourly'], True)} per hour) in May 2024. "
                 + growth_phrase(rng, f, occ))
            heading("Quick Facts", 12)
            table([["Measure", "Value"],
                   ["2024 Median Pay", f"{money(f['median_annual'])} per year / {money(f['median_hourly'], True)} per hour"],
                   ["Typical Entry-Level Education", f["education"]],
                   ["Number of Jobs, 2024", f"{f['jobs_2024']:,}"],
                   ["Job Outlook, 2024-34", f"{f['growth_pct']}%"],
                   ["Employment Change, 2024-34", f"{f['change']:,}"]], (70, 110))
        elif p % 3 == 1:
            heading("Wage Distribution", 13)
            para(f"Wages for {occ.lower()} vary with experience, industry and location. " + paragraph(rng, occ, 2))
            table([["Percentile", "10%", "25%", "50%", "75%", "90%"],
                   ["Hourly"] + [money(v, True) for v in ph],
                   ["Annual"] + [money(v) for v in pa[:4]] +
                   [">= $239,200" if f["top_pay_capped"] else money(pa[4])]], (30, 30, 30, 30, 30, 30))
            ind = rng.sample(INDUSTRIES, 4)
            table([["Industry", "Median annual wage"]] +
                  [[i, money(f["median_annual"] * rng.uniform(0.8, 1.25))] for i in ind], (120, 60))
        elif p % 3 == 2:
            heading(pick(rng, ["Working Conditions", "Training and Advancement", "Outlook Details"]), 13)
            pdf.set_font("Helvetica", "", 9.5)
            with pdf.text_columns(ncols=2, gutter=8, balance=True, line_height=1.15) as cols:
                for _ in range(3):
                    cols.write(paragraph(rng, occ, 4) + f" Entry pay near {money(pa[1])} is common. ")
                    cols.ln()
            pdf.ln(3)
        else:
            heading("Pay by State", 13)
            rows = [["State", "Employment", "Annual median", "Hourly median"]]
            for st in rng.sample(STATES, 12):
                k = rng.uniform(0.75, 1.3)
                rows.append([st, f"{rng.randrange(100, 90000):,}", money(f["median_annual"] * k),
                             money(f["median_hourly"] * k, True)])
            table(rows, (55, 40, 45, 40))
        fill_page(p + 1)
    assert pdf.page == n_pages, (path, pdf.page, n_pages)
    pdf.output(path)
    return f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20250101)
    a = ap.parse_args()
    hdir, pdir = os.path.join(a.outdir, "html"), os.path.join(a.outdir, "pdf")
    os.makedirs(hdir, exist_ok=True)
    os.makedirs(pdir, exist_ok=True)
    manifest = {"seed": a.seed, "html": [], "pdf": []}
    for i in range(N_HTML):
        rng = random.Random(a.seed * 1000 + i)
        target = rng.randint(HTML_MIN + 3000, HTML_MAX - 3000)
        page, f = html_page(rng, i, target)
        name = f"page_{i:03d}.html"
        data = page.encode()
        assert HTML_MIN <= len(data) <= HTML_MAX, (name, len(data))
        with open(os.path.join(hdir, name), "wb") as fh:
            fh.write(data)
        manifest["html"].append({"file": f"html/{name}", "bytes": len(data), **f})
    for j, n in enumerate(PDF_PAGES):
        rng = random.Random(a.seed * 1000 + 500 + j)
        name = f"profile_{j:02d}.pdf"
        path = os.path.join(pdir, name)
        f = make_pdf(rng, path, n, j)
        manifest["pdf"].append({"file": f"pdf/{name}", "pages": n, "bytes": os.path.getsize(path), **f})
    with open(os.path.join(a.outdir, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1)
    hb = sum(d["bytes"] for d in manifest["html"])
    pb = sum(d["bytes"] for d in manifest["pdf"])
    print(f"html: {N_HTML} files, {hb / 1e6:.2f} MB; pdf: {len(PDF_PAGES)} files, "
          f"{sum(PDF_PAGES)} pages, {pb / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
