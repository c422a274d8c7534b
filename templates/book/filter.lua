-- Presentation of the book's marked blocks for Typst and DOCX.
-- Only structure produced by our own templates is turned into raw output here;
-- text from content reaches pandoc escaped, so it can never become raw markup.
local boxes = { beperking = "beperking", openpunten = "openpunten" }

function Div(el)
  for cls, fn in pairs(boxes) do
    if el.classes:includes(cls) and FORMAT:match("typst") then
      local out = { pandoc.RawBlock("typst", "#" .. fn .. "[") }
      for _, b in ipairs(el.content) do table.insert(out, b) end
      table.insert(out, pandoc.RawBlock("typst", "]"))
      return out
    end
  end
end

-- The page a label is on: typst counts it, Word/LibreOffice compute a PAGEREF field.
local function page_of(target)
  if not target:match("^[%w%-]+$") then return {} end
  if FORMAT:match("typst") then
    return { pandoc.RawInline("typst", '#context numbering("1", ..counter(page).at(<' .. target .. '>))') }
  elseif FORMAT:match("docx") then
    return { pandoc.RawInline("openxml", '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
      .. '<w:r><w:instrText xml:space="preserve"> PAGEREF ' .. target .. ' \\h </w:instrText></w:r>'
      .. '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r>'
      .. '<w:r><w:fldChar w:fldCharType="end"/></w:r>') }
  end
  return {}
end

function Span(el)
  if el.classes:includes("paginanummer") then
    return page_of(el.attributes["doel"] or "")
  end
  if el.classes:includes("openpunt") then
    if FORMAT:match("typst") then
      local out = { pandoc.RawInline("typst", "#openpunt[") }
      for _, i in ipairs(el.content) do table.insert(out, i) end
      table.insert(out, pandoc.RawInline("typst", "]"))
      return out
    end
    return pandoc.Strong(el.content)
  end
end

function Header(el)
  if el.level == 2 and (el.classes:includes("product")) then
    if FORMAT:match("typst") then
      return { pandoc.RawBlock("typst", "#pagebreak(weak: true)"), el }
    elseif FORMAT:match("docx") then
      return { pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'), el }
    end
  end
  if el.level == 1 and FORMAT:match("docx") then
    return { pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'), el }
  end
end
